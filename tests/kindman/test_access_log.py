"""The access log of `make serve` (gunicorn with gunicorn.conf.py) names no secret from a manage,
newsletter or password-reset link, and a path cannot write a line of its own into it."""

import re
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from kindman.access_log import redact
from tests.fault_helpers import build_site_on, open_form, open_form_page, submit

SECRET = "S3cret-T0ken_abc"


def routes(patterns=None, prefix=""):
    """Every route of the URLconf as written, e.g. `consultation/manage/<str:token>/`."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def test_every_route_with_a_token_in_its_path_is_redacted():
    secret_routes = [route for route in routes() if re.search(r"<(\w+:)?token>", route)]
    assert len(secret_routes) >= 7  # manage pages and invites, newsletter, password reset
    for route in secret_routes:
        path = "/" + re.sub(r"<(\w+:)?token>", SECRET, route)
        path = re.sub(r"<[^>]+>", "MQ", path)
        assert SECRET not in redact(path), route
        assert SECRET not in redact(f"https://kindman.example{path}?next=1"), route


def test_other_paths_are_logged_as_they_are():
    for path in ("/", "/blog/a-post/", "/consultation/manage/done/cancelled/", "/info-sessions/"):
        assert redact(path) == path


def test_control_characters_and_backslashes_are_escaped():
    assert redact("/x\r\nGET /admin/ 200 1ms\x1b[2J\\x0a") == (
        "/x\\x0d\\x0aGET /admin/ 200 1ms\\x1b[2J\\x5cx0a"
    )


@pytest.fixture(scope="module")
def logged_site():
    """A site served as `make serve` serves it (gunicorn.conf.py, access log on stdout), with
    email written to files so the test can follow the links in it."""
    directory = Path(tempfile.mkdtemp(prefix="kindman-log-"))
    try:
        site = build_site_on(directory, access_log=True)
        site.env |= {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(directory / "mail"),
        }
        site.mail = directory / "mail"
        site.start()
        try:
            yield site
        finally:
            site.stop()
            site.database.close()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def book_a_call(site) -> str:
    """Book as a browser would; the manage link from the confirmation page."""
    site.python(
        "from datetime import time; "
        "from consultations.factories import build_coordinator, build_rules; "
        "build_rules(min_notice_hours=0, buffer_minutes=10, horizon_days=14); "
        "build_coordinator(weekdays=range(7), start=time(0), end=time(23, 40))"
    )
    form = open_form(site)
    sent = submit(site, form, form[3][-1], "+13235550142")
    assert sent.status == 302, sent.body[:500]
    # The cookie that lets this browser see its confirmation page.
    cookies = "; ".join(line.split(";")[0] for line in sent.headers["Set-Cookie"].splitlines())
    booked = site.get(sent.headers["Location"], headers={"Cookie": cookies})
    assert booked.status == 200
    return re.search(r'href="(/consultation/manage/[^"/]+/)"', booked.body).group(1)


def subscribe(site) -> tuple[str, str]:
    """Sign up for the newsletter; the confirm and unsubscribe links from the email."""
    _page, cookie, token = open_form_page(site, "/newsletter/")
    body = urlencode({"csrfmiddlewaretoken": token, "email": "reader@example.org"}).encode()
    headers = {"Cookie": f"csrftoken={cookie}", "Origin": site.base_url}
    assert site.get("/newsletter/", data=body, headers=headers, follow=False).status == 302
    site.manage("db_worker", "--queue-name", "*", "--batch", "--no-startup-delay")
    email = "".join(path.read_text() for path in site.mail.iterdir())
    confirm = re.search(r"https?://[^/\s]+(/newsletter/confirm/[^/\s]+/)", email).group(1)
    unsubscribe = re.search(r"https?://[^/\s]+(/newsletter/unsubscribe/[^/\s]+/)", email).group(1)
    return confirm, unsubscribe


def wait_for_line(site, text: str) -> str:
    """The log once it has `text` (gunicorn writes a request's line after answering it)."""
    deadline = time.monotonic() + 15
    while text not in (log := site.logs()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return log


def test_the_access_log_names_no_token_and_cannot_be_forged(logged_site):
    site = logged_site
    manage = book_a_call(site)
    assert site.get(manage).status == 200
    assert site.get(manage + "phone-call.ics").status == 200
    confirm, unsubscribe = subscribe(site)
    assert site.get(confirm).status == 200
    assert site.get(unsubscribe).status == 200
    forged = site.get("/nothing-here%0D%0AGET%20/admin/%20200%200ms%1B[2J")
    assert forged.status == 404

    log = wait_for_line(site, "GET /nothing-here")
    tokens = [url.rstrip("/").rsplit("/", 1)[1] for url in (manage, confirm, unsubscribe)]
    for token in tokens:
        assert token not in log
    # The requests were logged, by route, with the secret left out.
    lines = log.splitlines()
    assert any(re.fullmatch(r"GET /consultation/manage/\[secret\]/ 200 \d+ms", x) for x in lines)
    assert any(re.fullmatch(r"GET /newsletter/confirm/\[secret\]/ 200 \d+ms", x) for x in lines)
    assert any(re.fullmatch(r"GET /newsletter/unsubscribe/\[secret\]/ 200 \d+ms", x) for x in lines)
    # The control characters are written out, on the one line of the request that held them.
    assert not any(line.startswith("GET /admin/") for line in lines)
    assert "\x1b" not in log
    assert any(
        re.fullmatch(r"GET /nothing-here\\x0d\\x0aGET /admin/ 200 0ms\\x1b\[2J 404 \d+ms", line)
        for line in lines
    )
