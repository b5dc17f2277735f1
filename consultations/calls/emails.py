"""The emails and calendar invites about a call: to the client (confirmation, move, reminder,
cancellation) and the detail-free notices to staff."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kindman.emails import email_builder, render_email
from kindman.origin import public_url
from kindman.timezones import format_local

from ..bookings.emails import (
    admin_url,
    calendar_part,
    client_sender,
    staff_recipients,
)
from ..bookings.ics import booking_uid, build_invite, practice_name

# The emails that tell a client their call's time: if one fails, the coordinator calls them.
CLIENT_CONFIRMATIONS = ("consultation_confirmation", "consultation_rescheduled")


def consultation_summary(consultation) -> str:
    if consultation.discreet:
        return _("Phone call")
    return _("Free consultation call with %(practice)s") % {"practice": practice_name()}


def consultation_invite(consultation, *, method: str = "REQUEST") -> bytes:
    """The invite for a consultation in its current state (cancelled ones cancel)."""
    cancelled = consultation.status == consultation.Status.CANCELLED
    return build_invite(
        uid=booking_uid(consultation.public_id),
        sequence=consultation.ics_sequence,
        start=consultation.starts_at,
        end=consultation.ends_at,
        summary=consultation_summary(consultation),
        method=method,
        cancelled=cancelled,
        private=consultation.discreet,
        description=(
            _("We will call you at the number you gave us.")
            if consultation.discreet
            else _("Our Care Coordinator will call you at the number you gave us.")
        ),
        organizer=client_sender(consultation),
        recipient=consultation.email,
    )


def _client_context(consultation) -> dict:
    from kindman.models import PracticeSettings

    practice = PracticeSettings.load()
    return {
        "consultation": consultation,
        "discreet": consultation.discreet,
        "when": format_local(consultation.starts_at),
        "minutes": round((consultation.ends_at - consultation.starts_at).total_seconds() / 60),
        "manage_url": public_url(reverse("consultations:manage", args=[consultation.manage_token])),
        "practice_name": practice.name,
        "practice_phone": practice.phone,
        "crisis_text": practice.crisis_text,
    }


def _client_message(prefix: str, consultation, *, method: str, extra: dict | None = None):
    context = {**_client_context(consultation), **(extra or {})}
    message = render_email(
        prefix,
        context,
        to=[consultation.email],
        from_email=client_sender(consultation),
    )
    message.attach(calendar_part(consultation_invite(consultation, method=method), method))
    return message


def _live(delivery, consultation) -> bool:
    """Still worth telling the client: upcoming, not cancelled, not moved since queued."""
    return (
        bool(consultation.email)
        and consultation.is_manageable(timezone.now())
        and delivery.sequence == consultation.ics_sequence
    )


@email_builder("consultation_confirmation", "Confirmation to the client")
@email_builder("consultation_rescheduled", "Move notice to the client")
def build_confirmation(delivery, consultation):
    if not _live(delivery, consultation):
        return None
    return _client_message(
        "consultations/calls/email/confirmation",
        consultation,
        method="REQUEST",
        extra={"moved": delivery.kind == "consultation_rescheduled"},
    )


@email_builder("consultation_reminder", "Reminder to the client")
def build_reminder(delivery, consultation):
    if not _live(delivery, consultation):
        return None
    return _client_message("consultations/calls/email/reminder", consultation, method="REQUEST")


@email_builder("consultation_cancelled", "Cancellation to the client")
def build_cancelled(delivery, consultation):
    if not consultation.email or consultation.status != consultation.Status.CANCELLED:
        return None
    return _client_message("consultations/calls/email/cancelled", consultation, method="CANCEL")


def _staff_message(delivery, consultation, event: str):
    """Only a link into the admin and the language to call in: never the client's name, phone,
    email or note. In the staff's language, whatever the client's."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "event": event,
            "admin_url": admin_url(reverse("consultation_bookings:edit", args=[consultation.pk])),
            "language": consultation.get_language_display()
            if consultation.language != settings.LANGUAGE_CODE
            else "",
        }
        return render_email(
            "consultations/calls/email/staff_notification", context, to=staff_recipients()
        )


@email_builder("consultation_staff_new", "New-booking notice to staff")
def build_staff_new(delivery, consultation):
    return _staff_message(delivery, consultation, "A new consultation call was booked.")


@email_builder("consultation_staff_cancelled", "Cancellation notice to staff")
def build_staff_cancelled(delivery, consultation):
    return _staff_message(delivery, consultation, "A consultation call was cancelled.")


@email_builder("consultation_staff_rescheduled", "Move notice to staff")
def build_staff_rescheduled(delivery, consultation):
    return _staff_message(delivery, consultation, "A consultation call was moved.")
