"""The coordinator's actions on a call and on session registrations: each changes one thing, is
refused where it makes no sense, and leaves an audit-log entry naming the user."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from consultations.models import Consultation, SessionRegistration
from consultations.sessions import actions as sessions
from tests.consultations.helpers import register_person
from therapists.factories import build_therapist


def action_url(call, action):
    return reverse("consultation_agenda:action", args=[call.pk, action])


def log_actions(obj):
    """The audit-log entries staff made (the registrant's own changes have no user)."""
    return list(
        ModelLogEntry.objects.for_instance(obj)
        .filter(user__isnull=False)
        .order_by("timestamp")
        .values_list("action", "user__username")
    )


@pytest.fixture
def begun_call(call):
    """The call, moved to have started a few minutes ago."""
    now = timezone.now()
    Consultation.objects.filter(pk=call.pk).update(
        starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(minutes=15)
    )
    call.refresh_from_db()
    return call


@pytest.fixture
def therapist(home_page):
    return build_therapist(slug="maren-okafor", title="Maren Okafor")


def test_confirm_changes_status_and_is_logged_with_the_user(coordinator_client, call):
    response = coordinator_client.post(action_url(call, "confirm"))
    assert response["Location"] == reverse("consultation_agenda:call", args=[call.pk])
    call.refresh_from_db()
    assert call.status == Consultation.Status.CONFIRMED
    assert log_actions(call) == [("consultations.confirm", "coord")]


def test_history_page_shows_the_action_and_who_made_it(coordinator_client, call):
    coordinator_client.post(action_url(call, "confirm"))
    html = coordinator_client.get(
        reverse("consultation_bookings:history", args=[call.pk])
    ).content.decode()
    assert "Confirmed the call" in html
    assert "coord" in html


def test_mark_completed_records_matched_therapist_and_private_notes(
    coordinator_client, begun_call, therapist
):
    call = begun_call
    coordinator_client.post(
        action_url(call, "complete"),
        {"matched_therapist": therapist.pk, "outcome_notes": "Starts with Maren next week."},
    )
    call.refresh_from_db()
    assert call.status == Consultation.Status.COMPLETED
    assert call.matched_therapist == therapist
    assert call.outcome_notes == "Starts with Maren next week."
    assert log_actions(call) == [("consultations.complete", "coord")]


def test_outcome_can_be_recorded_later_without_changing_status(
    coordinator_client, begun_call, therapist
):
    call = begun_call
    coordinator_client.post(action_url(call, "no_show"))
    coordinator_client.post(
        action_url(call, "outcome"),
        {"matched_therapist": therapist.pk, "outcome_notes": "Rebooked"},
    )
    call.refresh_from_db()
    assert call.status == Consultation.Status.NO_SHOW
    assert call.matched_therapist == therapist
    assert [a for a, _ in log_actions(call)] == ["consultations.no_show", "consultations.outcome"]


def test_invalid_outcome_shows_the_error_and_changes_nothing(coordinator_client, begun_call):
    call = begun_call
    response = coordinator_client.post(action_url(call, "complete"), {"matched_therapist": "99999"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    call.refresh_from_db()
    assert call.status == Consultation.Status.REQUESTED
    assert log_actions(call) == []


def test_a_finished_call_cannot_be_confirmed_again(coordinator_client, begun_call):
    call = begun_call
    coordinator_client.post(action_url(call, "no_show"))
    coordinator_client.post(action_url(call, "confirm"))
    call.refresh_from_db()
    assert call.status == Consultation.Status.NO_SHOW
    assert [a for a, _ in log_actions(call)] == ["consultations.no_show"]


def test_cancel_asks_first_then_emails_the_client_and_is_logged(coordinator_client, call):
    url = reverse("consultation_agenda:cancel", args=[call.pk])
    page = coordinator_client.get(url).content.decode()
    assert "Yes, cancel the call" in page and "They get an email" in page
    call.refresh_from_db()
    assert call.status == Consultation.Status.REQUESTED
    response = coordinator_client.post(url, follow=True)
    assert "The client gets an email." in response.content.decode()
    call.refresh_from_db()
    assert call.status == Consultation.Status.CANCELLED
    assert "robin@example.com" in [address for message in mail.outbox for address in message.to]
    assert log_actions(call) == [("consultations.cancel", "coord")]


def test_actions_need_post_and_a_known_name(coordinator_client, call):
    assert coordinator_client.get(action_url(call, "confirm")).status_code == 405
    assert coordinator_client.post(action_url(call, "explode")).status_code == 404
    call.refresh_from_db()
    assert call.status == Consultation.Status.REQUESTED


def test_actions_require_the_csrf_token(coordinator_user, call):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(coordinator_user)
    assert strict.post(action_url(call, "confirm")).status_code == 403


def test_erase_asks_first_then_erases_and_logs(coordinator_client, call, therapist):
    coordinator_client.post(
        action_url(call, "outcome"), {"matched_therapist": therapist.pk, "outcome_notes": "x"}
    )
    url = reverse("consultation_agenda:erase", args=[call.pk])
    page = coordinator_client.get(url)
    assert page.status_code == 200 and b"Yes, erase their data" in page.content
    call.refresh_from_db()
    assert call.name == "Robin Caller"
    coordinator_client.post(url)
    call.refresh_from_db()
    assert call.erased_at is not None
    assert call.name == "(erased)" and call.email == "" and "555" not in call.phone
    assert call.outcome_notes == "" and call.matched_therapist is None
    assert call.status == Consultation.Status.CANCELLED
    assert ("consultations.erase", "coord") in log_actions(call)
    assert coordinator_client.get(url).status_code == 404


def test_roster_marks_attendance_and_logs_each_change(coordinator_client, info_session):
    ana, _ = register_person(info_session, "Ana", "a@example.com")
    ben, _ = register_person(info_session, "Ben", "b@example.com")
    url = reverse("info_sessions:roster", args=[info_session.pk])
    coordinator_client.post(
        url, {f"attendance-{ana.pk}": "attended", f"attendance-{ben.pk}": "bogus"}
    )
    ana.refresh_from_db()
    ben.refresh_from_db()
    assert ana.attendance == "attended" and ben.attendance == ""
    assert log_actions(ana) == [("consultations.attendance", "coord")]
    assert log_actions(ben) == []


def test_roster_lists_the_waitlist_in_promotion_order(coordinator_client, info_session):
    for name in ("Ana", "Ben", "Cam", "Dee"):
        sessions.register(
            info_session,
            details={
                "name": name,
                "email": f"{name}@example.com",
                "pronouns": "",
                "discreet": False,
            },
        )
    html = coordinator_client.get(
        reverse("info_sessions:roster", args=[info_session.pk])
    ).content.decode()
    waitlist = html.split("Waitlist, in the order")[1]
    assert waitlist.index("Cam") < waitlist.index("Dee")
    assert "Ana" not in waitlist


def test_staff_cancelling_a_registration_promotes_the_next_person(coordinator_client, info_session):
    people = [
        register_person(info_session, n, f"{n}@example.com")[0] for n in ("Ana", "Ben", "Cam")
    ]
    mail.outbox.clear()
    coordinator_client.post(reverse("session_registrations:cancel", args=[people[0].pk]))
    statuses = [SessionRegistration.objects.get(pk=p.pk).status for p in people]
    assert statuses == ["cancelled", "registered", "registered"]
    assert {m.to[0] for m in mail.outbox} == {"Ana@example.com", "Cam@example.com"}
    assert log_actions(people[0]) == [("consultations.registration_cancel", "coord")]


def test_raising_capacity_in_the_admin_promotes_and_logs(coordinator_client, info_session):
    for name in ("Ana", "Ben", "Cam"):
        sessions.register(
            info_session,
            details={
                "name": name,
                "email": f"{name}@example.com",
                "pronouns": "",
                "discreet": False,
            },
        )
    edit = reverse("info_sessions:edit", args=[info_session.pk])
    from django.forms.models import model_to_dict

    data = {k: v for k, v in model_to_dict(info_session).items() if v is not None}
    data.update(
        capacity=3,
        starts_at=info_session.starts_at_local.strftime("%Y-%m-%d %H:%M"),
        ends_at=info_session.ends_at_local.strftime("%Y-%m-%d %H:%M"),
        published="on",
    )
    response = coordinator_client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    cam = SessionRegistration.objects.get(name="Cam")
    assert cam.status == "registered"
    assert log_actions(cam) == [("consultations.promote", "coord")]
    info_session.refresh_from_db()
    assert ("wagtail.edit", "coord") in log_actions(info_session)


def test_erasing_a_registration_frees_the_seat_for_the_waitlist(coordinator_client, info_session):
    people = [
        register_person(info_session, n, f"{n}@example.com")[0] for n in ("Ana", "Ben", "Cam")
    ]
    coordinator_client.post(reverse("session_registrations:erase", args=[people[0].pk]))
    ana = SessionRegistration.objects.get(pk=people[0].pk)
    assert ana.name == "(erased)" and "Ana" not in ana.email and ana.erased_at
    assert SessionRegistration.objects.get(pk=people[2].pk).status == "registered"
    assert ("consultations.erase", "coord") in log_actions(ana)


def test_registrants_own_changes_are_logged_without_a_user(client, info_session):
    ana, _ = register_person(info_session, "Ana", "a@example.com")
    ben, _ = register_person(info_session, "Ben", "b@example.com")
    cam, _ = register_person(info_session, "Cam", "c@example.com")
    client.post(
        reverse("consultations:session_manage", args=[ana.manage_token]), {"action": "cancel"}
    )

    def entries(registration):
        return list(
            ModelLogEntry.objects.for_instance(registration)
            .order_by("timestamp", "pk")
            .values_list("action", "user")
        )

    assert entries(ana) == [
        ("consultations.registered", None),
        ("consultations.registration_cancel", None),
    ]
    assert entries(cam) == [("consultations.waitlisted", None), ("consultations.promote", None)]
    assert entries(ben) == [("consultations.registered", None)]


def test_editing_a_registration_in_the_admin_is_logged_with_the_user(
    coordinator_client, info_session
):
    ana, _ = register_person(info_session, "Ana", "a@example.com")
    response = coordinator_client.post(
        reverse("session_registrations:edit", args=[ana.pk]),
        {"name": "Ana B", "pronouns": "she/her", "email": "a@example.com", "attendance": ""},
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.name == "Ana B"
    assert log_actions(ana) == [("wagtail.edit", "coord")]


def test_editing_to_an_email_already_registered_is_a_form_error(coordinator_client, info_session):
    for name in ("Ana", "Ben"):
        sessions.register(
            info_session,
            details={
                "name": name,
                "email": f"{name}@example.com",
                "pronouns": "",
                "discreet": False,
            },
        )
    ben = SessionRegistration.objects.get(name="Ben")
    response = coordinator_client.post(
        reverse("session_registrations:edit", args=[ben.pk]),
        {"name": "Ben", "pronouns": "", "email": "ANA@example.com", "attendance": ""},
    )
    assert response.status_code == 200
    ben.refresh_from_db()
    assert ben.email == "Ben@example.com"


def test_the_clients_own_booking_and_cancel_are_in_the_audit_log(client, home_page, settings):
    """Changes made through the public pages are logged too, with no staff user."""
    from datetime import time

    from django.utils import timezone

    from consultations.calls.slots import load_schedule, open_slots
    from consultations.factories import build_coordinator, build_rules

    settings.CONSULTATION_RATE_LIMIT = (1000, 600)
    build_rules(min_notice_hours=0)
    build_coordinator(weekdays=range(7), start=time(0), end=time(23, 40))
    now = timezone.now()
    slot = open_slots(load_schedule(now), now)[3]
    form = client.get("/consultation/").context["form"]
    response = client.post(
        "/consultation/",
        {
            "slot": slot.value,
            "name": "Demo Logged",
            "phone": "+13235550177",
            "interest": "either",
            "state": "CA",
            "consent": "on",
            "idempotency_key": form["idempotency_key"].value(),
        },
    )
    assert response.status_code == 302
    call = Consultation.objects.get(phone="+13235550177")
    client.post(f"/consultation/manage/{call.manage_token}/", {"action": "cancel"})
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(call.pk)).values_list("action", "user_id")
    )
    assert ("consultations.book", None) in actions
    assert ("consultations.client_cancel", None) in actions


def test_cancelling_a_call_without_email_says_to_call_them(coordinator_client, call):
    Consultation.objects.filter(pk=call.pk).update(email="")
    url = reverse("consultation_agenda:cancel", args=[call.pk])
    page = coordinator_client.get(url).content.decode()
    assert "call them on" in page and "no voicemail" in page
    response = coordinator_client.post(url)
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert told == ["Cancelled the call. They gave no email address: call them to let them know."]
    assert not [m for m in mail.outbox if "robin@example.com" in m.to]


@pytest.mark.parametrize("action", ["complete", "no_show"])
def test_a_call_that_has_not_begun_cannot_be_completed_or_missed(coordinator_client, call, action):
    token = call.manage_token
    coordinator_client.post(action_url(call, action), {"outcome_notes": "Too early."})
    call.refresh_from_db()
    assert call.status == Consultation.Status.REQUESTED
    assert call.manage_token == token and call.is_manageable()
    assert log_actions(call) == []


def test_the_call_page_offers_only_what_can_be_done_now(coordinator_client, call):
    page = coordinator_client.get(reverse("consultation_agenda:call", args=[call.pk]))
    html = page.content.decode()
    assert "Confirm" in html and "No-show" not in html and "Mark completed" not in html
    coordinator_client.post(action_url(call, "confirm"))
    html = coordinator_client.get(reverse("consultation_agenda:call", args=[call.pk])).content
    # A confirmed call still to come has no status action: no empty "Actions" heading.
    assert b'id="actions-heading"' not in html
    assert b"Cancel this call" in html and b"Erase this person" in html


def test_a_begun_call_can_be_marked_completed_or_no_show(coordinator_client, begun_call):
    html = coordinator_client.get(
        reverse("consultation_agenda:call", args=[begun_call.pk])
    ).content.decode()
    assert "No-show" in html and "Mark completed" in html and "Cancel this call" not in html
