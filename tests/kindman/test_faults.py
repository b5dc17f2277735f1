"""When PostgreSQL goes away, readers get a friendly 503 and the site recovers by itself when it
comes back. Stops and starts a real PostgreSQL under a real gunicorn (tests/fault_helpers.py, fixture `site_on_own_database`)."""

import re
from html.parser import HTMLParser
from urllib.parse import urlencode

from tests.fault_helpers import bookings_cookie, count, open_form, open_form_page, submit


def assert_friendly_503(answer, public=True):
    assert answer.status == 503
    assert "We’ll be right back" in answer.body
    assert 'class="site-header"' in answer.body
    assert "Traceback" not in answer.body and "OperationalError" not in answer.body
    assert answer.headers["Retry-After"] == "30"
    assert "no-store" in answer.headers["Cache-Control"]
    if public:
        assert "unsafe-inline" not in answer.headers["Content-Security-Policy"]


def test_pages_answer_503_while_the_database_is_down_and_recover_without_a_restart(
    site_on_own_database,
):
    site = site_on_own_database
    assert site.get("/").status == 200
    assert site.get("/about/").status == 200
    assert site.get("/healthz").status == 200

    site.database.stop()
    try:
        for path in ("/", "/about/", "/no-such-page/"):
            assert_friendly_503(site.get(path))
        health = site.get("/healthz")
        assert health.status == 503
        assert health.body == "database unavailable\n"
        # Signing in also needs the database: the same friendly answer, not a 500.
        assert_friendly_503(site.get("/admin/login/"), public=False)
        assert site.process.poll() is None, "the app server must keep running"
    finally:
        site.database.start()

    assert site.wait_for("/healthz", 200).status == 200
    home = site.get("/")
    assert home.status == 200
    assert "Therapy that meets you where you are" in home.body
    assert site.get("/about/").status == 200
    assert "Traceback" not in site.logs()


def cookies_from(answer) -> dict:
    """Cookies set by an answer (by hand: the production cookies are Secure, and a cookie jar
    would not send them back over the test's plain HTTP)."""
    found = {}
    for name, value in answer.headers.items():
        if name.lower() == "set-cookie":
            for line in value.split("\n"):
                key, _, val = line.split(";", 1)[0].partition("=")
                found[key.strip()] = val.strip()
    return found


def cookie_header(cookies: dict) -> dict:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}


def test_two_app_servers_share_sessions_rate_limits_and_the_page_cache(
    site_on_own_database, tmp_path
):
    from urllib.parse import urlencode

    from tests.fault_helpers import SiteProcess

    first = site_on_own_database
    first.python(
        "from django.contrib.auth.models import User; "
        "User.objects.filter(username='two-servers').exists() or "
        "User.objects.create_superuser('two-servers', 'a@example.com', 'correct-horse-battery-9')"
    )
    second = SiteProcess(first.database, tmp_path)
    second.env["STATIC_ROOT"] = first.env["STATIC_ROOT"]
    second.start()
    try:
        # Signed in on one server, signed in on the other: sessions live in PostgreSQL.
        form = first.get("/admin/login/")
        cookies = cookies_from(form)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body).group(1)
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "username": "two-servers",
                "password": "correct-horse-battery-9",
            }
        ).encode()
        signed_in = first.get(
            "/admin/login/", data=body, headers=cookie_header(cookies), follow=False
        )
        assert signed_in.status == 302
        cookies |= cookies_from(signed_in)
        assert "sessionid" in cookies
        assert second.get("/admin/", headers=cookie_header(cookies)).status == 200

        # A reading page rendered by one server is served by the other from the shared cache.
        # (One public host name, as behind a load balancer; the servers' own ports differ.)
        public = {"Host": "127.0.0.1"}
        assert first.get("/about/", headers=public).headers.get("X-Page-Cache") is None
        from_cache = second.get("/about/", headers=public)
        assert from_cache.status == 200
        assert from_cache.headers.get("X-Page-Cache") == "hit"

        # Publishing (here from a third process) purges it for both.
        first.python(
            "from kindman.models import StandardPage; "
            "page = StandardPage.objects.get(slug='about'); "
            "page.title = 'About the practice'; page.save_revision().publish()"
        )
        for server in (first, second):
            assert "<h1>About the practice</h1>" in server.get("/about/", headers=public).body

        # Sign-in failures count across servers: five on one lock the sixth on the other.
        for _ in range(5):
            form = first.get("/admin/login/")
            jar = cookies_from(form)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body).group(1)
            wrong = urlencode(
                {"csrfmiddlewaretoken": token, "username": "two-servers", "password": "nope"}
            ).encode()
            first.get("/admin/login/", data=wrong, headers=cookie_header(jar))
        form = second.get("/admin/login/")
        jar = cookies_from(form)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body).group(1)
        right = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "username": "two-servers",
                "password": "correct-horse-battery-9",
            }
        ).encode()
        assert second.get("/admin/login/", data=right, headers=cookie_header(jar)).status == 429
    finally:
        second.stop()


class HiddenFields(HTMLParser):
    """The action and hidden inputs of the one form on a page."""

    def __init__(self, html: str):
        super().__init__()
        self.action, self.fields = None, []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.action = attrs["action"]
        if tag == "input" and attrs.get("type") == "hidden":
            self.fields.append((attrs["name"], attrs.get("value", "")))


def test_a_booking_sent_while_the_database_is_down_keeps_the_answers_to_send_again(
    site_on_own_database,
):
    site = site_on_own_database
    site.python(
        "from datetime import time; "
        "from consultations.factories import build_coordinator, build_rules; "
        "build_rules(min_notice_hours=0, buffer_minutes=10, horizon_days=14); "
        "build_coordinator(weekdays=range(7), start=time(0), end=time(23, 40))"
    )
    form = open_form(site)
    cookie, slot = form[0], form[3][-1]

    site.database.stop()
    try:
        answer = submit(site, form, slot, "+13235550188")
        assert_friendly_503(answer)
        # What they wrote is on the page, in words they recognise, and nothing else is needed.
        assert "Your answers" in answer.body
        assert "Demo Caller" in answer.body and "+13235550188" in answer.body
        assert "In California" in answer.body  # the choice's label, not its value
        assert " at " in answer.body and "Pacific" in answer.body  # the time, not "…Z"
        assert "Send it again" in answer.body
        kept = HiddenFields(answer.body)
        assert kept.action == "/consultation/"
        assert ("slot", slot) in kept.fields and ("name", "Demo Caller") in kept.fields
        assert ("csrfmiddlewaretoken", form[1]) in kept.fields
        assert ("idempotency_key", form[2]) in kept.fields
        assert "Leave this field empty" not in answer.body  # the honeypot is not an answer
    finally:
        site.database.start()
    assert site.wait_for("/healthz", 200).status == 200
    assert count(site, "Consultation.objects.count()") == 0  # nothing was half-stored

    # "Send it again" posts the kept answers unchanged: booked, once, however often it is pressed.
    headers = {
        "Cookie": f"csrftoken={cookie}",
        "Origin": site.base_url,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    for _ in range(2):
        sent = site.get(
            kept.action, data=urlencode(kept.fields).encode(), headers=headers, follow=False
        )
        assert sent.status == 302
        assert "/consultation/booked/" in sent.headers["Location"]
        # the browser keeps the cookie the booking set, as it would
        headers["Cookie"] = "; ".join(filter(None, [headers["Cookie"], bookings_cookie(sent)]))
    assert count(site, "Consultation.objects.filter(phone='+13235550188').count()") == 1


def test_a_newsletter_signup_sent_while_the_database_is_down_keeps_the_address(
    site_on_own_database,
):
    site = site_on_own_database
    _page, cookie, token = open_form_page(site, "/newsletter/")
    body = urlencode({"csrfmiddlewaretoken": token, "email": "reader@example.org"}).encode()
    headers = {"Cookie": f"csrftoken={cookie}", "Origin": site.base_url}
    site.database.stop()
    try:
        answer = site.get("/newsletter/", data=body, headers=headers, follow=False)
    finally:
        site.database.start()
    assert_friendly_503(answer)
    assert "reader@example.org" in answer.body
    assert ("email", "reader@example.org") in HiddenFields(answer.body).fields
    assert site.wait_for("/healthz", 200).status == 200
