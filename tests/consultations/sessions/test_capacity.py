"""Capacity under simultaneous registrations: real threads, each with its own PostgreSQL
connection, all released at once."""

import threading

import pytest
from django.db import connection

from consultations.factories import build_info_session
from consultations.models import SessionRegistration
from consultations.sessions import actions as sessions

CAPACITY = 4


def _race(session, people: list[dict]) -> list[BaseException]:
    barrier = threading.Barrier(len(people))
    errors = []

    def attempt(details):
        try:
            barrier.wait()
            sessions.register(session, details=details)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_three_times_capacity_at_once_never_exceeds_capacity(home_page):
    session = build_info_session(capacity=CAPACITY)
    people = [
        {"name": f"Racer {i}", "email": f"racer{i}@example.com", "pronouns": "", "discreet": False}
        for i in range(3 * CAPACITY)
    ]
    errors = _race(session, people)

    assert errors == []
    registrations = SessionRegistration.objects.filter(session=session)
    assert registrations.count() == 3 * CAPACITY
    assert registrations.registered().count() == CAPACITY
    assert registrations.waitlisted().count() == 2 * CAPACITY
    positions = [r.waitlist_position for r in registrations.waitlisted()]
    assert positions == list(range(1, 2 * CAPACITY + 1))


@pytest.mark.django_db(transaction=True)
def test_the_same_email_at_once_registers_once(home_page):
    session = build_info_session(capacity=CAPACITY)
    same = {"name": "Twin", "email": "twin@example.com", "pronouns": "", "discreet": False}
    errors = _race(session, [dict(same) for _ in range(4)])
    assert errors == []
    assert SessionRegistration.objects.filter(session=session).count() == 1
