"""Emails and calendar invites: parsed, not string-matched where structure matters."""

import socket

import pytest
from django.core import mail
from django.test import override_settings
from icalendar import Calendar

from consultations.calls import actions as booking
from consultations.calls.slots import parse_slot_value
from consultations.models import Consultation
from kindman.models import EmailDelivery
from kindman.tasks import MAX_ATTEMPTS, send_delivery
from kindman.timezones import format_local
from tests.consultations.helpers import open_values

DETAILS = {
    "name": "Robin Testperson",
    "pronouns": "they/them",
    "phone": "+13235550199",
    "email": "robin@example.com",
    "interest": "online",
    "state": "CA",
    "note": "Secret-note-about-grief",
    "best_times": "evenings",
}


def _book(slot_index=0, **overrides):
    start = parse_slot_value(open_values()[slot_index])
    consultation, _ = booking.book(start=start, details={**DETAILS, **overrides})
    return consultation


def _client_mail(address="robin@example.com"):
    return [m for m in mail.outbox if m.to == [address]]


def _staff_mail():
    return [m for m in mail.outbox if m.to != ["robin@example.com"]]


def _invite(message):
    part = message.attachments[0]
    assert part.get_content_type() == "text/calendar"
    return Calendar.from_ical(part.get_payload(decode=True)), part.get_param("method")


def _event(calendar):
    return calendar.walk("VEVENT")[0]


def test_confirmation_email_has_text_html_and_invite_stating_the_same_time(coordinator):
    consultation = _book(-1)
    [message] = _client_mail()
    html = message.alternatives[0].content
    when = format_local(consultation.starts_at)
    assert "Pacific Time" in when
    assert when in message.body and when in html
    assert when in message.subject
    calendar, method = _invite(message)
    event = _event(calendar)
    assert method == "REQUEST" and str(calendar["METHOD"]) == "REQUEST"
    assert event.decoded("DTSTART") == consultation.starts_at
    assert event["DTSTART"].params["TZID"] == "America/Los_Angeles"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "America/Los_Angeles"
    assert str(event["UID"]) == str(consultation.public_id)
    assert int(event["SEQUENCE"]) == 0
    assert consultation.manage_token in message.body
    assert "Free consultation call" in str(event["SUMMARY"])


def test_invite_and_email_never_carry_the_clients_note(coordinator):
    _book()
    [message] = _client_mail()
    ics = message.attachments[0].get_payload(decode=True).decode()
    for text in (ics, message.body, message.alternatives[0].content):
        assert "Secret-note" not in text
        assert "evenings" not in text


def test_discreet_booking_uses_neutral_wording_everywhere(coordinator):
    _book(discreet=True)
    [message] = _client_mail()
    calendar, _ = _invite(message)
    event = _event(calendar)
    sender_name = message.from_email.split("<")[0]
    for text in (message.subject, sender_name, str(event["SUMMARY"])):
        assert "Kindman" not in text
        assert "therapy" not in text.lower()
        assert "consultation" not in text.lower()
    assert "therapy" not in message.body.lower()
    assert "Kindman" not in message.body
    assert "therapy" not in message.alternatives[0].content.lower()
    assert str(event["CLASS"]) == "PRIVATE"
    assert str(event["SUMMARY"]) == "Phone call"
    assert "therapy" not in str(event.get("DESCRIPTION", "")).lower()


def test_not_discreet_booking_is_not_marked_private(coordinator):
    _book()
    event = _event(_invite(_client_mail()[0])[0])
    assert "CLASS" not in event


def test_ics_lifecycle_one_uid_rising_sequence_and_a_cancellation(coordinator):
    consultation = _book(0)
    moved = booking.reschedule(consultation, start=parse_slot_value(open_values()[6]))
    booking.cancel(moved)
    invites = [_invite(m) for m in _client_mail()]
    assert [method for _, method in invites] == ["REQUEST", "REQUEST", "CANCEL"]
    events = [_event(calendar) for calendar, _ in invites]
    assert len({str(e["UID"]) for e in events}) == 1
    assert [int(e["SEQUENCE"]) for e in events] == [0, 1, 2]
    assert str(events[-1]["STATUS"]) == "CANCELLED"
    assert str(invites[-1][0]["METHOD"]) == "CANCEL"
    assert events[1].decoded("DTSTART") == Consultation.objects.get().starts_at
    assert "Moved" in _client_mail()[1].subject


def test_booking_without_email_sends_the_client_nothing(coordinator):
    _book(email="")
    assert not _client_mail()
    assert len(_staff_mail()) == 1


def test_staff_notification_holds_only_an_admin_link(coordinator, settings):
    settings.CONSULTATION_NOTIFY_EMAILS = ["care@kindman.example"]
    consultation = _book(discreet=False, pronouns="xe/xem")
    [staff] = _staff_mail()
    assert staff.to == ["care@kindman.example"]
    everything = " ".join([staff.subject, staff.body, staff.alternatives[0].content])
    assert f"/admin/consultations/consultation_bookings/edit/{consultation.pk}/" in everything or (
        f"/edit/{consultation.pk}/" in everything
    )
    for secret in [
        "Robin",
        "robin@example.com",
        "5550199",
        "555-0199",
        "Secret-note",
        "evenings",
        "xe/xem",
    ]:
        assert secret not in everything


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_failing_mail_server_never_loses_the_booking(coordinator):
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=_closed_port(),
        EMAIL_TIMEOUT=2,
    ):
        consultation = _book()
    assert Consultation.objects.filter(pk=consultation.pk).exists()
    deliveries = EmailDelivery.objects.exclude(kind="consultation_reminder")
    assert deliveries.count() == 2
    for delivery in deliveries:
        assert delivery.status == EmailDelivery.Status.RETRYING
        assert delivery.attempts == 1
        assert delivery.last_error == "ConnectionRefusedError"
        assert delivery.next_attempt_at is not None
    assert not mail.outbox


def test_failed_sends_are_retried_then_marked_failed(coordinator):
    bad = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": _closed_port(),
        "EMAIL_TIMEOUT": 2,
    }
    with override_settings(**bad):
        _book()
        delivery = EmailDelivery.objects.get(kind="consultation_confirmation")
        for _ in range(MAX_ATTEMPTS - 1):
            send_delivery.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == EmailDelivery.Status.FAILED
    assert delivery.attempts == MAX_ATTEMPTS


def test_retry_succeeds_once_the_mail_server_is_back(coordinator):
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=_closed_port(),
        EMAIL_TIMEOUT=2,
    ):
        _book()
    delivery = EmailDelivery.objects.get(kind="consultation_confirmation")
    send_delivery.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == EmailDelivery.Status.SENT
    assert len(_client_mail()) == 1


def test_deliveries_store_no_personal_data(coordinator):
    _book()
    for row in EmailDelivery.objects.values():
        assert "robin" not in str(row).lower()


@pytest.mark.parametrize("change", ["cancel", "reschedule", "erase"])
def test_reminder_rechecks_the_booking_is_still_live(coordinator, change):
    from django.utils import timezone

    consultation = _book(-1)
    reminder = EmailDelivery.objects.get(kind="consultation_reminder")
    assert reminder.status == EmailDelivery.Status.QUEUED
    if change == "cancel":
        booking.cancel(consultation)
    elif change == "reschedule":
        booking.reschedule(consultation, start=parse_slot_value(open_values()[-3]))
    else:
        booking.erase(consultation)
    EmailDelivery.objects.filter(pk=reminder.pk).update(send_after=timezone.now())
    mail.outbox.clear()
    send_delivery.call(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.status == EmailDelivery.Status.SKIPPED
    assert not _client_mail()


def test_reminder_is_sent_for_a_live_booking_when_due(coordinator):
    from django.utils import timezone

    _book(-1)
    reminder = EmailDelivery.objects.get(kind="consultation_reminder")
    send_delivery.call(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.status == EmailDelivery.Status.QUEUED  # not yet due
    EmailDelivery.objects.filter(pk=reminder.pk).update(send_after=timezone.now())
    mail.outbox.clear()
    send_delivery.call(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.status == EmailDelivery.Status.SENT
    assert _client_mail()[0].subject.startswith("Reminder")


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection
def test_the_database_worker_sends_a_bookings_emails_and_keeps_its_reminder_for_later(
    coordinator, settings
):
    """As in production: the booking queues one task per delivery in the database, and
    `manage.py db_worker` sends them from there; the reminder's task waits for its time."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    consultation = _book(-1)
    assert mail.outbox == []  # queued, not sent in the request
    reminder = EmailDelivery.objects.get(kind="consultation_reminder")
    tasks = {task.args_kwargs["args"][0]: task for task in DBTaskResult.objects.all()}
    assert len(tasks) == 3  # one task for each delivery, and nothing else that sends
    assert tasks[reminder.pk].run_after == consultation.starts_at - booking.REMINDER_BEFORE

    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay")

    assert len(_client_mail()) == 1 and len(_staff_mail()) == 1
    sent = EmailDelivery.objects.filter(status=EmailDelivery.Status.SENT)
    assert {d.kind for d in sent} == {"consultation_confirmation", "consultation_staff_new"}
    reminder.refresh_from_db()
    assert reminder.status == EmailDelivery.Status.QUEUED
    assert tasks[reminder.pk].__class__.objects.get(pk=tasks[reminder.pk].pk).status == "READY"


def test_subjects_are_plain_text_not_html_escaped(coordinator):
    """The practice's name ("Kindman & Co.") reads as written in a mail client's subject."""
    from kindman.models import PracticeSettings

    assert "&" in PracticeSettings.load().name
    _book(-1)
    [message] = _client_mail()
    assert "Kindman & Co." in message.subject and "&amp;" not in message.subject
    assert all("&amp;" not in m.subject for m in mail.outbox)
