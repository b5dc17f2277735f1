"""Two gunicorn app servers on one PostgreSQL: nothing that guarantees a booking lives in a
process, so the guarantees hold when requests alternate between the servers."""

import shutil
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.fault_helpers import (
    SiteProcess,
    bookings_cookie,
    build_site_on,
    count,
    idempotency_key,
    open_form,
    open_form_page,
    submit,
)

ATTEMPTS = 20
SEATS = 3


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
            "build_coordinator(weekdays=range(7), start=time(0), end=time(23, 40)); "
            "from consultations.factories import build_info_session; "
            f"build_info_session(slug='two-servers', capacity={SEATS})"
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
    booked = submit(first, form, slot, "+13235559990")
    assert booked.status == 302
    # the same browser (its cookie from the first answer) sends the form again
    again = submit(second, form, slot, "+13235559990", cookies=bookings_cookie(booked))
    assert again.status == 302  # straight to the existing booking's confirmation
    assert again.headers["Location"] == booked.headers["Location"]
    assert count(first, "Consultation.objects.filter(phone='+13235559990').count()") == 1


def open_registration(server):
    page, cookie, token = open_form_page(server, "/info-sessions/two-servers/")
    return cookie, token, idempotency_key(page)


def register(server, form, n: int):
    cookie, token, key = form
    body = urlencode(
        {
            "csrfmiddlewaretoken": token,
            "idempotency_key": key,
            "name": f"Demo Guest {n}",
            "email": f"guest{n}@example.org",
            "consent": "on",
        }
    ).encode()
    headers = {"Cookie": f"csrftoken={cookie}", "Origin": server.base_url}
    return server.get("/info-sessions/two-servers/", data=body, headers=headers, follow=False)


def test_simultaneous_registrations_across_two_servers_never_overfill_a_session(two_servers):
    first, second = two_servers
    people = SEATS * 4
    forms = [open_registration(first if n % 2 else second) for n in range(people)]
    answers = [None] * people
    barrier = threading.Barrier(people)

    def attempt(n):
        barrier.wait()
        answers[n] = register(second if n % 2 else first, forms[n], n)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert [answer.status for answer in answers] == [302] * people  # a seat or the waitlist
    registered = "SessionRegistration.objects.filter(session__slug='two-servers', status='{}')"
    assert count(first, registered.format("registered") + ".count()") == SEATS
    assert count(first, registered.format("waitlisted") + ".count()") == people - SEATS


def test_content_changed_elsewhere_shows_on_both_servers_at_the_next_request(two_servers):
    """No server keeps content in its memory: a change made by another process reaches both at
    once, on pages rendered every time and on pages served from the shared page cache."""
    first, second = two_servers
    for server in (first, second):
        page = server.get("/consultation/")  # never page-cached: a full render every time
        assert "(323) 555-0142" in page.body and 'href="/blog/">Blog</a>' not in page.body
        assert server.get("/blog/").status == 404
        server.get("/")
        home = server.get("/")
        assert home.headers["X-Page-Cache"] == "hit"
        assert "You are welcome here" not in home.body

    # A third process, as an editor's request handled by some other app server would be.
    first.python(
        "from kindman.models import HomePage, PracticeSettings; from blog.factories import "
        "build_blog_index; practice = PracticeSettings.load(); "
        "practice.phone = '(323) 555-0123'; practice.save(); build_blog_index(); "
        "home = HomePage.objects.get(); home.hero_heading = 'You are welcome here'; "
        "home.save_revision().publish()"
    )

    for server in (first, second):
        page = server.get("/consultation/")
        assert "(323) 555-0123" in page.body and "(323) 555-0142" not in page.body
        assert 'href="/blog/">Blog</a>' in page.body
        assert server.get("/blog/").status == 200
        home = server.get("/")
        assert "<h1>You are welcome here</h1>" in home.body
        assert 'href="/blog/">Blog</a>' in home.body
