"""Behind a load balancer, every form rate limit and the sign-in lockout count the visitor's own
address, read from X-Forwarded-For by django-xff as an operator configures it
(TRUSTED_PROXY_COUNT), under gunicorn with production settings."""

import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.fault_helpers import build_site_on

ALICE, BOB = "203.0.113.5", "198.51.100.7"


@pytest.fixture(scope="module")
def proxied_site():
    directory = Path(tempfile.mkdtemp(prefix="kindman-proxied-"))
    try:
        site = build_site_on(directory)
        site.env |= {"TRUSTED_PROXY_COUNT": "1", "CONSULTATION_RATE_LIMIT": "2"}
        site.python(
            "from django.contrib.auth.models import User; "
            "User.objects.filter(username='coord').exists() or "
            "User.objects.create_superuser('coord', 'coord@example.com', 'correct-horse-battery-9')"
        )
        site.start()
        try:
            yield site
        finally:
            site.stop()
            site.database.close()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def through_proxy(site, path, client_address, data=None, forwarded=None, cookie=""):
    """A request as the load balancer passes it on: X-Forwarded-For ends with the address it
    saw; whatever the client wrote itself stands before that."""
    headers = {"X-Forwarded-For": forwarded or client_address}
    if cookie:
        headers["Cookie"] = cookie
    if data is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        data = urlencode(data).encode()
    return site.get(path, data=data, headers=headers, follow=False)


def form_post(site, path, client_address, fields, forwarded=None):
    page = through_proxy(site, path, client_address)
    assert page.status == 200, page.body[:300]
    cookie = re.search(r"csrftoken=([^;]+)", page.headers["Set-Cookie"]).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
    return through_proxy(
        site,
        path,
        client_address,
        data={"csrfmiddlewaretoken": token, **fields},
        forwarded=forwarded,
        cookie=f"csrftoken={cookie}",
    )


def test_visitors_behind_the_load_balancer_each_have_their_own_form_limit(proxied_site):
    unfinished = {"name": "Sam"}  # refused with 400, but counted
    for _ in range(2):
        assert form_post(proxied_site, "/consultation/", ALICE, unfinished).status == 400
    assert form_post(proxied_site, "/consultation/", ALICE, unfinished).status == 429
    # Another visitor is not paused by Alice's posts...
    assert form_post(proxied_site, "/consultation/", BOB, unfinished).status == 400
    # ...and Alice cannot escape her own limit by writing an address of her choice first.
    spoofed = form_post(
        proxied_site, "/consultation/", ALICE, unfinished, forwarded=f"192.0.2.99, {ALICE}"
    )
    assert spoofed.status == 429


def test_the_429_page_keeps_the_answers_to_send_again(proxied_site):
    address = "192.0.2.44"
    for _ in range(2):
        form_post(proxied_site, "/consultation/", address, {"name": "Sam"})
    paused = form_post(
        proxied_site, "/consultation/", address, {"name": "Sam Quiet", "best_times": "evenings"}
    )
    assert paused.status == 429
    assert "Sam Quiet" in paused.body and "evenings" in paused.body
    assert 'value="Sam Quiet"' in paused.body  # sent again unchanged by "Send it again"
    assert "no-store" in paused.headers["Cache-Control"]


def test_the_sign_in_lockout_counts_the_same_address(proxied_site):
    def sign_in(address, password):
        return form_post(
            proxied_site, "/admin/login/", address, {"username": "coord", "password": password}
        )

    for _ in range(5):
        sign_in("192.0.2.7", "wrong-guess")
    assert sign_in("192.0.2.7", "correct-horse-battery-9").status == 429
    assert sign_in("192.0.2.8", "correct-horse-battery-9").status == 302


def test_requests_that_bypass_the_proxies_are_refused_but_the_health_check(proxied_site):
    assert proxied_site.get("/consultation/").status == 400
    assert proxied_site.get("/healthz").status == 200
