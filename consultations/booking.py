"""The booking actions: book, cancel, reschedule and erase a consultation. Each runs the slot
engine again inside a transaction that locks the coordinators' rows, so two visitors racing for
one time (or for two times too close together) are decided one after the other; the partial
unique constraints on `Consultation` are the database's last word."""

import logging
import uuid
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from . import emails
from .models import Consultation, new_manage_token
from .slots import Slot, find_bookable, load_schedule, nearest_open, pick_coordinator

logger = logging.getLogger(__name__)

REMINDER_BEFORE = timedelta(hours=24)


class BookingError(Exception):
    message = "We couldn't book that time."


class SlotTaken(BookingError):
    message = "Sorry, that time was just taken (or is no longer available)."

    def __init__(self, nearest: list[Slot] | None = None):
        super().__init__(self.message)
        self.nearest = nearest or []


class PhoneHasOpenBooking(BookingError):
    message = (
        "There's already an upcoming call booked for this phone number. Please use the link in "
        "your confirmation to change it, or call us."
    )


@sensitive_variables()
def book(
    *, start: datetime, details: dict, idempotency_key: uuid.UUID | None = None, now=None
) -> tuple[Consultation, bool]:
    """Book the call starting at `start` (UTC). Returns (consultation, created); a repeated
    idempotency key returns the earlier booking instead of a second one."""
    now = now or timezone.now()
    if idempotency_key and (earlier := _by_key(idempotency_key)):
        return earlier, False
    try:
        with transaction.atomic():
            schedule = load_schedule(now, lock=True)
            if idempotency_key and (earlier := _by_key(idempotency_key)):
                return earlier, False
            slot = find_bookable(schedule, start, now)
            if slot is None:
                raise SlotTaken(nearest_open(schedule, start, now))
            if Consultation.objects.active().filter(phone=details["phone"]).exists():
                raise PhoneHasOpenBooking()
            consultation = Consultation.objects.create(
                **details,
                idempotency_key=idempotency_key,
                coordinator_id=pick_coordinator(schedule, slot),
                starts_at=slot.start,
                ends_at=slot.end,
                consent_at=now,
            )
            _queue_booking_emails(consultation, now, kind="consultation_confirmation")
            emails.queue_email("consultation_staff_new", consultation)
    except IntegrityError:
        # Only reachable if something bypassed the lock; the constraints still hold.
        if idempotency_key and (earlier := _by_key(idempotency_key)):
            return earlier, False
        if Consultation.objects.active().filter(phone=details["phone"]).exists():
            raise PhoneHasOpenBooking() from None
        raise SlotTaken(nearest_open(load_schedule(now), start, now)) from None
    logger.info("consultation booked id=%s", consultation.pk)
    return consultation, True


def _by_key(key):
    return Consultation.objects.filter(idempotency_key=key).first()


def _queue_booking_emails(consultation: Consultation, now: datetime, *, kind: str) -> None:
    if not consultation.email:
        return
    emails.queue_email(kind, consultation, sequence=consultation.ics_sequence)
    remind_at = consultation.starts_at - REMINDER_BEFORE
    if remind_at > now + timedelta(hours=1):
        emails.queue_email(
            "consultation_reminder",
            consultation,
            sequence=consultation.ics_sequence,
            send_after=remind_at,
        )


def cancel(consultation: Consultation, *, now=None) -> Consultation:
    """Cancel an upcoming call; the client's calendar gets a cancellation."""
    now = now or timezone.now()
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if not consultation.is_manageable(now):
            raise BookingError()
        consultation.status = Consultation.Status.CANCELLED
        consultation.ics_sequence += 1
        consultation.manage_token = new_manage_token()  # the old link stops working
        consultation.save(update_fields=["status", "ics_sequence", "manage_token", "updated_at"])
        if consultation.email:
            emails.queue_email(
                "consultation_cancelled", consultation, sequence=consultation.ics_sequence
            )
        emails.queue_email("consultation_staff_cancelled", consultation)
    logger.info("consultation cancelled id=%s", consultation.pk)
    return consultation


def reschedule(consultation: Consultation, *, start: datetime, now=None) -> Consultation:
    """Move an upcoming call to another open slot. The invite keeps its UID and gets a higher
    SEQUENCE; the manage token is replaced, so the old link stops working."""
    now = now or timezone.now()
    with transaction.atomic():
        schedule = load_schedule(now, lock=True, exclude_booking_id=consultation.pk)
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if not consultation.is_manageable(now):
            raise BookingError()
        slot = find_bookable(schedule, start, now)
        if slot is None:
            raise SlotTaken(nearest_open(schedule, start, now))
        consultation.coordinator_id = pick_coordinator(schedule, slot)
        consultation.starts_at = slot.start
        consultation.ends_at = slot.end
        consultation.ics_sequence += 1
        consultation.manage_token = new_manage_token()
        consultation.save()
        _queue_booking_emails(consultation, now, kind="consultation_rescheduled")
        emails.queue_email("consultation_staff_rescheduled", consultation)
    logger.info("consultation rescheduled id=%s", consultation.pk)
    return consultation


ERASED_NAME = "(erased)"


def erase(consultation: Consultation, *, now=None) -> Consultation:
    """ "Delete my request": cancel if still upcoming and erase every personal field. The row stays
    (without personal data) so staff can see that a call was withdrawn."""
    now = now or timezone.now()
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.is_active:
            consultation.status = Consultation.Status.CANCELLED
            emails.queue_email("consultation_staff_cancelled", consultation)
        erase_personal_data(consultation, now=now)
        consultation.save()
    logger.info("consultation erased id=%s", consultation.pk)
    return consultation


def erase_personal_data(consultation: Consultation, *, now) -> None:
    consultation.name = ERASED_NAME
    consultation.pronouns = ""
    # Keeps the phone column unique among open calls while holding nothing personal.
    consultation.phone = f"erased-{consultation.pk}"
    consultation.email = ""
    consultation.best_times = ""
    consultation.note = ""
    consultation.state = ""
    consultation.preferred_therapist = None
    consultation.matched_therapist = None
    consultation.outcome_notes = ""
    consultation.manage_token = new_manage_token()
    consultation.erased_at = now


def staff_time_error(
    consultation: Consultation, *, start: datetime, coordinator_id: int, now=None
) -> str | None:
    """Why staff may not put this call at `start` with this coordinator (None when they may)."""
    now = now or timezone.now()
    schedule = load_schedule(now, exclude_booking_id=consultation.pk)
    slot = find_bookable(schedule, start, now)
    if slot is None:
        return (
            "That time is not open: check the coordinator's hours and exceptions, the buffer, "
            "the minimum notice, the booking horizon and the daily cap."
        )
    if coordinator_id not in slot.coordinator_ids:
        return "That coordinator is not free at that time."
    return None


RETENTION = timedelta(days=90)


def erase_old(*, now=None, retention: timedelta = RETENTION) -> int:
    """Erase the personal data of calls that ended more than `retention` ago (any status).
    Run daily through `manage.py purge_personal_data`; returns how many were erased."""
    now = now or timezone.now()
    count = 0
    old = Consultation.objects.filter(ends_at__lt=now - retention, erased_at__isnull=True)
    for consultation in old.iterator():
        with transaction.atomic():
            if consultation.is_active:
                consultation.status = Consultation.Status.COMPLETED
            erase_personal_data(consultation, now=now)
            consultation.save()
        count += 1
    return count
