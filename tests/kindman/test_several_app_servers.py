"""Two gunicorn app servers on one PostgreSQL: nothing that guarantees a booking lives in a
process, so the guarantees hold when requests alternate between the servers."""

import re
import shutil
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.fault_helpers import SiteProcess, build_site_on

ATTEMPTS = 20


@pytest.fixture(scope="module")
def two_servers():
    directory = Path(tempfile.mkdtemp(prefix="kindman-two-"))
    servers = []
    try:
        first = build_site_on(directory / "a")
        second = SiteProcess(first.database, directory / "b")
        (directory / "b").mkdir(parents=True, exist_ok=True)
        second.env["STATIC_ROOT"] = first.env["STATIC_ROOT"]  # one collectstatic, shared
        for server in (first, second):
            server.env["CONSULTATION_RATE_LIMIT"] = "1000"  # all requests come from 127.0.0.1
        first.python(
            "from datetime import time; "
            "from consultations.factories import build_coordinator, build_rules; "
            "build_rules(min_notice_hours=0, buffer_minutes=10, horizon_days=14); "
            "build_coordinator(weekdays=range(7), start=time(0), end=time(23, 40))"
        )
        for server in (first, second):
            server.start()
            servers.append(server)
        yield first, second
    finally:
        for server in servers:
            server.stop()
        if servers:
            servers[0].database.close()
        shutil.rmtree(directory, ignore_errors=True)


def open_form(server):
    """GET the booking page: the CSRF cookie, the form's token, idempotency key and slots."""
    page = server.get("/consultation/")
    assert page.status == 200, page.body[:500]
    cookie = re.search(r"csrftoken=([^;]+)", page.headers.get("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.body).group(1)
    slots = re.findall(r'name="slot" value="([^"]+)"', page.body)
    return cookie, token, key, slots


def submit(server, form, slot: str, phone: str):
    cookie, token, key, _slots = form
    body = urlencode(
        {
            "csrfmiddlewaretoken": token,
            "idempotency_key": key,
            "slot": slot,
            "name": "Demo Caller",
            "phone": phone,
            "interest": "either",
            "state": "CA",
            "consent": "on",
        }
    ).encode()
    return server.get(
        "/consultation/",
        data=body,
        headers={
            "Cookie": f"csrftoken={cookie}",
            "Origin": server.base_url,
            "Content-Type": "application/x-www-form-urlencoded",
        },
        follow=False,
    )


def count(server, query: str) -> int:
    output = server.python(f"from consultations.models import *; print({query})")
    return int(output.strip().splitlines()[-1])


def test_simultaneous_bookings_of_one_slot_across_two_servers_make_exactly_one(two_servers):
    first, second = two_servers
    forms = [open_form(first if n % 2 else second) for n in range(ATTEMPTS)]
    slot = forms[0][3][0]
    answers = [None] * ATTEMPTS
    barrier = threading.Barrier(ATTEMPTS)

    def attempt(n):
        barrier.wait()
        # The form came from one server; the POST goes to the other.
        answers[n] = submit(second if n % 2 else first, forms[n], slot, f"+1323555{n:04d}")

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    statuses = sorted(answer.status for answer in answers)
    assert statuses.count(302) == 1, statuses
    assert statuses.count(409) == ATTEMPTS - 1, statuses  # "that time was just taken"
    refused = [answer.body for answer in answers if answer.status == 409]
    assert all("just taken" in body and "Demo Caller" in body for body in refused)
    assert count(first, "Consultation.objects.active().count()") == 1


def test_a_resubmitted_form_on_the_other_server_does_not_book_twice(two_servers):
    first, second = two_servers
    form = open_form(first)
    slot = form[3][-1]
    assert submit(first, form, slot, "+13235559990").status == 302
    again = submit(second, form, slot, "+13235559990")
    assert again.status == 302  # straight to the existing booking's confirmation
    assert count(first, "Consultation.objects.filter(phone='+13235559990').count()") == 1
