"""The roster's actions on one person: offering a free seat to someone waiting (with its email),
and cancelling or erasing, each behind its own confirmation page."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from consultations.models import InfoSession, SessionRegistration
from kindman.models import EmailDelivery
from tests.consultations.bookings.test_discretion import (
    NEUTRAL_SENDER,
    assert_discreet,
)
from tests.consultations.helpers import register_person


def roster_url(session):
    return reverse("info_sessions:roster", args=[session.pk])


def offer_url(registration):
    return reverse("session_registrations:offer", args=[registration.pk])


def cancel_url(registration):
    return reverse("session_registrations:cancel", args=[registration.pk])


def erase_url(registration):
    return reverse("session_registrations:erase", args=[registration.pk])


def status_of(registration) -> str:
    return SessionRegistration.objects.get(pk=registration.pk).status


def staff_log(registration) -> list[tuple[str, str]]:
    return list(
        ModelLogEntry.objects.for_instance(registration)
        .filter(user__isnull=False)
        .values_list("action", "user__username")
    )


@pytest.fixture
def full_session(info_session):
    """Two seats taken (Ana, Ben), two people waiting (Cam first, then Dee)."""
    people = {
        name: register_person(info_session, name, f"{name.lower()}@example.com", **details)[0]
        for name, details in [
            ("Ana", {}),
            ("Ben", {}),
            ("Cam", {}),
            ("Dee", {"discreet": True, "language": "es"}),
        ]
    }
    assert [status_of(p) for p in people.values()] == [
        "registered",
        "registered",
        "waitlisted",
        "waitlisted",
    ]
    mail.outbox.clear()
    return info_session, people


def free_one_seat(session):
    """A seat nobody has been moved into yet (as if capacity were raised outside the admin)."""
    InfoSession.objects.filter(pk=session.pk).update(capacity=session.capacity + 1)


def test_offering_a_free_seat_gives_it_to_that_person_and_queues_their_email(
    coordinator_client, full_session
):
    session, people = full_session
    free_one_seat(session)
    dee = people["Dee"]

    page = coordinator_client.get(offer_url(dee)).content.decode()
    assert "Yes, offer them the seat" in page
    assert status_of(dee) == "waitlisted"  # the page only asks

    response = coordinator_client.post(offer_url(dee))
    assert response["Location"] == roster_url(session)
    assert status_of(dee) == "registered"
    assert status_of(people["Cam"]) == "waitlisted"  # the coordinator chose Dee
    assert SessionRegistration.objects.filter(session=session).registered().count() == 3
    assert staff_log(dee) == [("consultations.offer_seat", "coord")]
    [delivery] = EmailDelivery.objects.filter(object_id=dee.pk, kind="session_promoted")
    assert delivery.status == EmailDelivery.Status.SENT
    assert [m.to for m in mail.outbox] == [["dee@example.com"]]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Dee has a seat now. They get an email saying so."
    ]

    roster = coordinator_client.get(roster_url(session)).content.decode()
    registered, waiting = roster.split("<h2>Registered</h2>")[1].split("Waitlist, in the order")
    assert "Dee" in registered and "From the waitlist" in registered
    assert "Dee" not in waiting and "Cam" in waiting


def test_the_offer_email_is_discreet_and_in_the_registrations_language(
    coordinator_client, full_session, settings
):
    settings.CONSULTATION_DISCREET_FROM_EMAIL = NEUTRAL_SENDER
    session, people = full_session
    free_one_seat(session)
    coordinator_client.post(offer_url(people["Dee"]))
    [message] = mail.outbox
    assert message.subject.startswith("Ya tienes un lugar")
    # Its links are the Spanish session pages of this site; nothing else.
    spanish_pages = settings.PUBLIC_ORIGIN + "/es/info-sessions/"
    links = set(re.findall(r"https?://[^\s\"<>]+", message.body))
    assert links and all(link.startswith(spanish_pages) for link in links), links
    assert_discreet(message, links=links | {session.join_url})
    assert session.title not in message.body


def test_offering_when_every_seat_is_taken_says_so_and_changes_nothing(
    coordinator_client, full_session
):
    session, people = full_session
    cam = people["Cam"]
    page = coordinator_client.get(offer_url(cam)).content.decode()
    assert "No seat is free" in page
    assert "Yes, offer them the seat" not in page

    response = coordinator_client.post(offer_url(cam))
    assert response["Location"] == roster_url(session)
    assert status_of(cam) == "waitlisted"
    assert mail.outbox == [] and staff_log(cam) == []
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("No seat is free")


def test_one_free_seat_offered_twice_goes_to_the_first_offer_only(coordinator_client, full_session):
    session, people = full_session
    free_one_seat(session)
    coordinator_client.post(offer_url(people["Dee"]))
    coordinator_client.post(offer_url(people["Cam"]))
    assert status_of(people["Dee"]) == "registered"
    assert status_of(people["Cam"]) == "waitlisted"
    session.refresh_from_db()
    assert session.registrations.registered().count() == session.capacity


def test_a_seat_holder_cannot_be_offered_another(coordinator_client, full_session):
    session, people = full_session
    free_one_seat(session)
    coordinator_client.post(offer_url(people["Ana"]))
    assert staff_log(people["Ana"]) == [] and mail.outbox == []


def test_cancel_and_erase_are_separate_links_to_confirmation_pages(
    coordinator_client, full_session
):
    session, people = full_session
    roster = coordinator_client.get(roster_url(session)).content.decode()
    for person in people.values():
        assert f'href="{cancel_url(person)}"' in roster
        assert f'href="{erase_url(person)}"' in roster
        # No form on the roster cancels or erases in one click.
        assert f'action="{cancel_url(person)}"' not in roster
        assert f'action="{erase_url(person)}"' not in roster
    assert roster.count('<td class="ws-danger-cell">') == len(people)


def test_cancelling_a_seat_asks_first_then_cancels_and_moves_the_queue(
    coordinator_client, full_session
):
    session, people = full_session
    ana = people["Ana"]
    page = coordinator_client.get(cancel_url(ana)).content.decode()
    assert "Yes, cancel their seat" in page and "Erase" not in page
    assert status_of(ana) == "registered"

    response = coordinator_client.post(cancel_url(ana))
    assert response["Location"] == roster_url(session)
    assert status_of(ana) == "cancelled"
    assert status_of(people["Cam"]) == "registered"
    assert SessionRegistration.objects.get(pk=ana.pk).erased_at is None  # cancel is not erase
    assert {m.to[0] for m in mail.outbox} == {"ana@example.com", "cam@example.com"}


def test_removing_someone_from_the_waitlist_asks_first(coordinator_client, full_session):
    session, people = full_session
    cam = people["Cam"]
    page = coordinator_client.get(cancel_url(cam)).content.decode()
    assert "Yes, take them off the waitlist" in page
    response = coordinator_client.post(cancel_url(cam))
    assert response["Location"] == roster_url(session)
    assert status_of(cam) == "cancelled"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Cam is off the waitlist. They get an email saying so."
    ]


def test_editors_see_nothing_of_the_roster_actions(client, editor_user, full_session):
    session, people = full_session
    client.force_login(editor_user)
    free_one_seat(session)
    for url in (offer_url(people["Dee"]), cancel_url(people["Ana"])):
        assert client.get(url).status_code in (302, 403)
        assert client.post(url).status_code in (302, 403)
    assert status_of(people["Dee"]) == "waitlisted"
    assert status_of(people["Ana"]) == "registered"
    assert mail.outbox == []
