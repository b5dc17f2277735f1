"""Settings read the environment, are safe by default and run on PostgreSQL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from kindman.settings.base import public_origin

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "https://www.kindman.example"
# Never connected to: settings are read, nothing is queried.
ELSEWHERE = "postgres://someone@db.internal.example:5432/kindman"


def clean_environment() -> dict:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a "deployment".
    unwanted = {
        "SECRET_KEY",
        "PUBLIC_ORIGIN",
        "DATABASE_URL",
        "DEBUG",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "DJANGO_SETTINGS_MODULE",
    }
    return {k: v for k, v in os.environ.items() if k not in unwanted}


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    environment = clean_environment()
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


SHOW_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'])"
)


def test_production_refuses_to_start_without_secret_key():
    result = run_python(SHOW_SETTINGS, DJANGO_SETTINGS_MODULE="kindman.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_a_public_origin():
    result = run_python(
        SHOW_SETTINGS, DJANGO_SETTINGS_MODULE="kindman.settings.production", SECRET_KEY="x" * 60
    )
    assert result.returncode != 0
    assert "PUBLIC_ORIGIN is not set" in result.stderr


def test_production_refuses_to_start_without_a_database_url_and_starts_no_database(tmp_path):
    pgdata = tmp_path / "pgdata"
    result = run_python(
        SHOW_SETTINGS,
        DJANGO_SETTINGS_MODULE="kindman.settings.production",
        SECRET_KEY="x" * 60,
        PUBLIC_ORIGIN=ORIGIN,
        KINDMAN_PGDATA=str(pgdata),
    )
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr
    assert not pgdata.exists(), "production must never start the embedded server"


def test_development_uses_the_embedded_database_and_a_connection_per_request():
    """The threaded dev server opens a connection per request thread; kept open, they would
    fill the embedded PostgreSQL's connection slots."""
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; print(d['CONN_MAX_AGE'], d['OPTIONS']['host'])",
        DJANGO_SETTINGS_MODULE="kindman.settings.dev",
    )
    assert result.returncode == 0, result.stderr
    conn_max_age, host = result.stdout.split()
    assert conn_max_age == "0"
    assert host.endswith("pgdata")


def test_production_refuses_to_start_with_a_public_origin_that_is_more_than_an_origin():
    result = run_python(
        SHOW_SETTINGS,
        DJANGO_SETTINGS_MODULE="kindman.settings.production",
        SECRET_KEY="x" * 60,
        PUBLIC_ORIGIN="https://www.kindman.example/",
    )
    assert result.returncode != 0
    assert "PUBLIC_ORIGIN must be http(s)://host[:port]" in result.stderr


@pytest.mark.parametrize(
    ("value", "origin"),
    [
        ("https://www.kindman.example", "https://www.kindman.example"),
        ("HTTPS://WWW.Kindman.Example:443", "https://www.kindman.example"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://testserver:80", "http://testserver"),
    ],
)
def test_a_public_origin_is_accepted_in_one_spelling(value, origin):
    assert public_origin(value) == origin


@pytest.mark.parametrize(
    "value",
    [
        "www.kindman.example",
        "ftp://kindman.example",
        "https://",
        "https://kindman.example/",
        "https://kindman.example/blog",
        "https://kindman.example?x=1",
        "https://kindman.example#top",
        "https://user:secret@kindman.example",
        "http://kindman.example:99999",
        "http://kindman.example:port",
        "https://kindman.example:8443",  # Wagtail's Site says https only by port 443
        "http://kindman.example:443",
    ],
)
def test_anything_else_as_public_origin_is_refused(value):
    with pytest.raises(ImproperlyConfigured, match="PUBLIC_ORIGIN"):
        public_origin(value)


def test_development_serves_its_public_origin_on_the_chosen_port():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.PUBLIC_ORIGIN, s.WAGTAILADMIN_BASE_URL)",
        DJANGO_SETTINGS_MODULE="kindman.settings.dev",
        PORT="8123",
    )
    assert result.stdout.split() == ["http://127.0.0.1:8123"] * 2, result.stderr


def test_debug_is_off_unless_asked_for():
    off = run_python(
        SHOW_SETTINGS,
        DJANGO_SETTINGS_MODULE="kindman.settings.production",
        SECRET_KEY="x" * 60,
        PUBLIC_ORIGIN=ORIGIN,
        DATABASE_URL=ELSEWHERE,
    )
    assert off.stdout.startswith("False "), off.stderr
    asked = run_python(
        "import os; os.environ['DEBUG']='true'; import django; django.setup(); "
        "from django.conf import settings as s; print(s.DEBUG)",
        DJANGO_SETTINGS_MODULE="kindman.settings.base",
        SECRET_KEY="x" * 60,
        PUBLIC_ORIGIN=ORIGIN,
        DATABASE_URL=ELSEWHERE,
    )
    assert asked.stdout.strip() == "True", asked.stderr


def test_database_url_is_used_instead_of_the_embedded_server(tmp_path):
    pgdata = tmp_path / "pgdata"
    result = run_python(
        SHOW_SETTINGS,
        DJANGO_SETTINGS_MODULE="kindman.settings.production",
        SECRET_KEY="x" * 60,
        PUBLIC_ORIGIN=ORIGIN,
        DATABASE_URL=ELSEWHERE,
        KINDMAN_PGDATA=str(pgdata),
    )
    assert result.stdout.split() == [
        "False",
        "django.db.backends.postgresql",
        "db.internal.example",
    ]
    assert not pgdata.exists(), "no embedded server may start when DATABASE_URL is set"


def test_check_deploy_with_production_settings_is_clean():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **clean_environment(),
            "DJANGO_SETTINGS_MODULE": "kindman.settings.production",
            "SECRET_KEY": "k" + "9f3Jq0xZ-lW7pT2vR8sY4uB6nC1mD5eH" * 2,
            "PUBLIC_ORIGIN": ORIGIN,
            "DATABASE_URL": os.environ["DATABASE_URL"],  # the tests' own server
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_tests_run_on_postgresql(db):
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["NAME"].startswith("test_")


SHOW_DATABASE_OPTIONS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "o = s.DATABASES['default']['OPTIONS']; "
    "print(o.get('server_side_binding'), o.get('prepare_threshold'))"
)


def test_prepared_statements_are_off_unless_asked_for():
    """Off by default: poolers in transaction mode cannot keep them."""
    database = {"DATABASE_URL": ELSEWHERE}
    production = {
        "DJANGO_SETTINGS_MODULE": "kindman.settings.production",
        "SECRET_KEY": "x" * 60,
        "PUBLIC_ORIGIN": ORIGIN,
    }
    off = run_python(SHOW_DATABASE_OPTIONS, **production, **database)
    assert off.stdout.split() == ["None", "None"], off.stderr
    on = run_python(
        SHOW_DATABASE_OPTIONS, **production, **database, DATABASE_PREPARED_STATEMENTS="true"
    )
    assert on.stdout.split() == ["True", "5"], on.stderr


def test_production_settings_write_mail_where_email_file_path_says(tmp_path):
    """`make serve` runs production settings with the file-based backend and EMAIL_FILE_PATH;
    the backend must open that folder rather than fail on every email."""
    mail_dir = tmp_path / "mail"
    result = run_python(
        "import django; django.setup(); "
        "from django.core.mail import get_connection; "
        "print(get_connection().file_path)",
        DJANGO_SETTINGS_MODULE="kindman.settings.production",
        SECRET_KEY="x" * 60,
        DATABASE_URL=ELSEWHERE,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        PUBLIC_ORIGIN="https://www.kindman.example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(mail_dir)
    assert mail_dir.is_dir()
