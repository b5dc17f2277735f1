"""A real site on its own throwaway PostgreSQL, for tests that stop and start the database.
The fixture is registered for every test by tests/conftest.py:

    def test_something(site_on_own_database):
        site = site_on_own_database
        assert site.get("/").status == 200
        site.database.stop()
        ...
        site.database.start()

The site runs under gunicorn with production settings (plain HTTP on 127.0.0.1, no per-process
page cache tier) against a PostgreSQL in a temporary folder, never the test database or the
worktree's own server. `site.manage("seed_therapists")` runs a management command against it.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATABASE_NAME = "kindman_faults"


class ThrowawayDatabase:
    """A pgserver PostgreSQL in `directory` that a test may stop and start at will."""

    def __init__(self, directory: Path):
        pgserver = pytest.importorskip(
            "pgserver", reason="a throwaway PostgreSQL needs pgserver (no build for Python 3.13)"
        )

        directory.mkdir(parents=True, exist_ok=True)
        self.server = pgserver.get_server(directory / "pgdata", cleanup_mode="stop")
        self.pgdata = self.server.pgdata
        info = self.server.get_postmaster_info()
        self.socket_dir, self.port = str(info.socket_dir), info.port
        import psycopg

        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            if not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
            ).fetchone():
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')

    def dsn(self, name: str = DATABASE_NAME) -> str:
        return f"host={self.socket_dir} port={self.port} user=postgres dbname={name}"

    @property
    def url(self) -> str:
        return (
            f"postgresql://postgres@{quote(self.socket_dir, safe='')}:{self.port}/{DATABASE_NAME}"
        )

    def pid(self) -> int | None:
        try:
            pid = int((self.pgdata / "postmaster.pid").read_text().splitlines()[0])
            os.kill(pid, 0)
        except (FileNotFoundError, IndexError, ValueError, ProcessLookupError):
            return None
        return pid

    def stop(self, timeout: float = 30) -> None:
        """Fast shutdown, as when a managed database fails over: connections are cut."""
        pid = self.pid()
        assert pid, "the throwaway PostgreSQL is not running"
        os.kill(pid, signal.SIGINT)
        deadline = time.monotonic() + timeout
        while self.pid() == pid and time.monotonic() < deadline:
            time.sleep(0.1)
        assert self.pid() is None, "PostgreSQL did not stop"

    def start(self) -> None:
        with self.server._lock:
            self.server.ensure_postgres_running()
        info = self.server.get_postmaster_info()
        assert (str(info.socket_dir), info.port) == (self.socket_dir, self.port)

    def close(self) -> None:
        if self.pid():
            self.stop()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int
    headers: dict
    body: str


def _headers(message) -> dict:
    """Headers by name; repeated ones (Set-Cookie) joined by newlines."""
    found = {}
    for name, value in message.items():
        found[name] = f"{found[name]}\n{value}" if name in found else value
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SiteProcess:
    """gunicorn with production settings, serving one ThrowawayDatabase on 127.0.0.1."""

    def __init__(
        self,
        database: ThrowawayDatabase,
        directory: Path,
        workers: int = 1,
        access_log: bool = False,
    ):
        self.database = database
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = directory / "gunicorn.log"
        unwanted = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "KINDMAN_PGDATA"}
        self.env = {k: v for k, v in os.environ.items() if k not in unwanted} | {
            "DJANGO_SETTINGS_MODULE": "kindman.settings.production",
            "SECRET_KEY": "fault-test-only-" + "x" * 50,
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "PUBLIC_ORIGIN": self.base_url,
            "DATABASE_URL": database.url,
            "STATIC_ROOT": str(directory / "static"),
            "MEDIA_ROOT": str(directory / "media"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            # Tests here check that a change shows on every server at its next request.
            "PAGE_CACHE_LOCAL_SECONDS": "0",
        }
        self.workers = workers
        self.access_log = access_log
        self.process = None

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def python(self, code: str) -> str:
        """Run Django code against the site's database (e.g. to build pages)."""
        return self.manage("shell", "-c", code)

    def start(self) -> None:
        self.log_file = self.log.open("ab")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "kindman.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "30",
                # gunicorn keeps one control socket per user; servers side by side would take it
                # from each other.
                "--no-control-socket",
                # As scripts/serve does: its config file, the access log in this log.
                *(["-c", "gunicorn.conf.py", "--access-logfile", "-"] if self.access_log else []),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if self.get("/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError("gunicorn did not answer /healthz within 60 s:\n" + self.logs())

    def logs(self) -> str:
        return self.log.read_text(errors="replace")

    def get(
        self, path: str, data: bytes | None = None, headers: dict | None = None, follow=True
    ) -> Answer:
        """GET (or POST when `data` is given) on the site; redirects are followed unless
        `follow=False`, which returns the 3xx answer itself (with its Set-Cookie headers)."""
        url = self.base_url + path  # always http://127.0.0.1
        request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
        opener = urllib.request.build_opener(*([] if follow else [_NoRedirect()]))
        try:
            with opener.open(request, timeout=30) as response:
                return Answer(response.status, _headers(response.headers), response.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, _headers(error.headers), error.read().decode())

    def wait_for(self, path: str, status: int, timeout: float = 15) -> Answer:
        deadline = time.monotonic() + timeout
        while True:
            answer = self.get(path)
            if answer.status == status or time.monotonic() > deadline:
                return answer
            time.sleep(0.3)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            self.log_file.close()


def build_site_on(directory: Path, workers: int = 1, access_log: bool = False) -> SiteProcess:
    database = ThrowawayDatabase(directory)
    site = SiteProcess(database, directory, workers=workers, access_log=access_log)
    site.manage("migrate", "--no-input", "-v", "0")
    site.manage("createcachetable")
    site.manage("collectstatic", "--no-input", "-v", "0")
    site.python(
        "from kindman.factories import build_site, build_standard_page; "
        "home = build_site(); "
        "from kindman.models import StandardPage; "
        "StandardPage.objects.filter(slug='about').exists() or build_standard_page(home)"
    )
    return site


def build_demo_site_on(directory: Path, workers: int = 2) -> SiteProcess:
    """The demo content (`seed_demo`) ready to serve with production settings on a PostgreSQL
    of its own; the demo staff's passwords go to `directory`, not the worktree's .local."""
    database = ThrowawayDatabase(directory)
    try:
        site = SiteProcess(database, directory, workers=workers)
        site.manage("migrate", "--no-input", "-v", "0")
        site.manage("createcachetable")
        site.manage("collectstatic", "--no-input", "-v", "0")
        site.python(
            "from django.conf import settings; from django.core.management import call_command; "
            f"settings.DEMO_LOGINS_FILE = {str(directory / 'demo-logins.txt')!r}; "
            "call_command('seed_demo')"
        )
    except BaseException:
        database.close()
        raise
    return site


@pytest.fixture(scope="module")
def site_on_own_database():
    """A migrated site with a home and an about page, served by gunicorn, on a PostgreSQL of its
    own; the test may stop and start `site.database`. Everything is stopped afterwards."""
    # Not under pytest's tmp_path: any pytest run that starts meanwhile resets that tree to
    # mode 0700, which locks out the `pgserver` user PostgreSQL runs as when we are root.
    directory = Path(tempfile.mkdtemp(prefix="kindman-site-"))
    try:
        site = build_site_on(directory)
        site.start()
        try:
            yield site
        finally:
            site.stop()
            site.database.close()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


# --- Booking a call on a SiteProcess, as a browser without JavaScript would ---------------------


def open_form_page(server, path: str):
    """GET a form page: (its answer, the CSRF cookie, the form's CSRF token)."""
    page = server.get(path)
    assert page.status == 200, page.body[:500]
    cookie = re.search(r"csrftoken=([^;]+)", page.headers.get("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
    return page, cookie, token


def idempotency_key(page) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', page.body).group(1)


def open_form(server):
    """GET the booking page: the CSRF cookie, the form's token, idempotency key and slots."""
    page, cookie, token = open_form_page(server, "/consultation/")
    slots = re.findall(r'name="slot" value="([^"]+)"', page.body)
    return cookie, token, idempotency_key(page), slots


def bookings_cookie(answer) -> str:
    """The `kc_calls` cookie a booking's answer sets (how a browser shows it its booking again),
    as a Cookie header part."""
    match = re.search(r"kc_calls=([^;]+)", answer.headers.get("Set-Cookie", ""))
    return f"kc_calls={match.group(1)}" if match else ""


def submit(server, form, slot: str, phone: str, cookies: str = "", **answers):
    """POST the booking form as a browser holding `cookies` (besides the CSRF cookie);
    `answers` adds or replaces fields (e.g. `email=`)."""
    cookie, token, key, _slots = form
    body = urlencode(
        {
            "csrfmiddlewaretoken": token,
            "idempotency_key": key,
            "slot": slot,
            "name": "Demo Caller",
            "phone": phone,
            "interest": "either",
            "session_location": "california",
            "consent": "on",
            **answers,
        }
    ).encode()
    return server.get(
        "/consultation/",
        data=body,
        headers={
            "Cookie": "; ".join(filter(None, [f"csrftoken={cookie}", cookies])),
            "Origin": server.base_url,
            "Content-Type": "application/x-www-form-urlencoded",
        },
        follow=False,
    )


def count(server, query: str) -> int:
    output = server.python(f"from consultations.models import *; print({query})")
    return int(output.strip().splitlines()[-1])
