"""The booking actions: book, cancel, reschedule and erase a consultation. A booking or a move is
written first, then confirmed: inside its transaction it locks the coordinators' rows and runs
the slot engine again over the bookings committed so far, so two visitors racing for one time
(or for two times too close together, or for a day's last call) are decided one after the
other, and the loser rolls back and looks again. The partial unique constraints on
`Consultation` are the database's last word."""

import logging
import uuid
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from kindman.audit import audit_row
from kindman.rows import pending_key

from . import emails
from .models import Consultation, new_manage_token
from .slots import (
    Slot,
    find_bookable,
    load_bookings,
    load_hours,
    load_schedule,
    local_day,
    nearest_open,
    pick_coordinator,
    refusal,
)

logger = logging.getLogger(__name__)

REMINDER_BEFORE = timedelta(hours=24)


class BookingError(Exception):
    message = "We couldn't book that time."


class SlotUnavailable(BookingError):
    """The engine refuses the time for a reason other than a booking (see `slots.refusal`)."""

    def __init__(self, reason: str):
        super().__init__(self.message)
        self.reason = reason


class SlotTaken(BookingError):
    message = "Sorry, that time was just taken (or is no longer available)."

    def __init__(self, nearest: list[Slot] | None = None):
        super().__init__(self.message)
        self.nearest = nearest or []


def _refuse(schedule, start: datetime, now: datetime, **load):
    """The error for a time the engine would not give, decided outside the transaction:
    SlotTaken with the nearest open times, or SlotUnavailable with the reason."""
    reason = refusal(schedule, start, now) or "taken"
    if reason != "taken":
        return SlotUnavailable(reason)
    return SlotTaken(nearest_open(load_schedule(now, **load), start, now))


@sensitive_variables()
def book(
    *, start: datetime, details: dict, idempotency_key: uuid.UUID | None = None, now=None
) -> tuple[Consultation, bool]:
    """Book the call starting at `start` (UTC). Returns (consultation, created); a repeated
    idempotency key returns the earlier booking instead of a second one. A new booking, its
    queued emails and its audit-log entry are committed together.

    Written first, then confirmed under the lock (`_confirm`), so bookings are decided one at a
    time only for the short check before commit. One call per coordinator and start, and the
    idempotency key, are left to the unique constraints (a repeat is looked up only when one
    refuses). A phone number that has another open call books like any other: the answer must
    not tell a visitor whose number it is (the coordinator sees the clash)."""
    now = now or timezone.now()
    day = local_day(start)
    plan = load_hours(now, first_day=day, last_day=day)
    for _ in range(ATTEMPTS):
        try:
            with transaction.atomic():
                # the calls near `start`, and the day's load per coordinator
                schedule = load_bookings(plan, only_for=start, count_day=True)
                slot = find_bookable(schedule, start, now)
                if slot is None:
                    break
                consultation = Consultation(
                    **details,
                    idempotency_key=idempotency_key,
                    coordinator_id=pick_coordinator(schedule, slot),
                    starts_at=slot.start,
                    ends_at=slot.end,
                    consent_at=now,
                )
                pending_key(consultation)  # its emails and audit entry refer to it
                _queue_booking_emails(
                    consultation,
                    now,
                    kind="consultation_confirmation",
                    staff="consultation_staff_new",
                    # The call, its emails, their tasks and its audit entry: one statement.
                    together_with=[consultation, audit_row(consultation, "consultations.book")],
                )
                _confirm(plan, consultation, now)
        except _Raced:
            continue
        except IntegrityError:
            # A repeated key, or the coordinator's time taken by a booking committed since it
            # was read (the constraints decide).
            if idempotency_key and (earlier := _by_key(idempotency_key)):
                return earlier, False
            continue
        logger.info("consultation booked id=%s", consultation.pk)
        return consultation, True
    if idempotency_key and (earlier := _by_key(idempotency_key)):
        return earlier, False  # the same submission, sent twice at once, was booked first
    raise _refuse(load_bookings(plan), start, now)


# Tries at a booking that other bookings keep overtaking, before it is refused as taken.
ATTEMPTS = 3


class _Raced(Exception):
    """A booking committed meanwhile leaves this one's time no longer open: roll back and look
    again."""


def _confirm(plan, consultation: Consultation, now: datetime) -> None:
    """Decide, one booking at a time: lock the active coordinators' rows (`SELECT … FOR
    UPDATE`, held until commit), read the other bookings again, now including every one
    committed before (those that can reach this call's time through the buffer, or the whole
    day's when a daily cap counts them), and check that the engine still gives this call's
    time to its coordinator (buffers and the daily cap included). Nothing after the lock waits
    on another transaction, and every booking and move writes before it locks, so they cannot
    deadlock."""
    schedule = load_bookings(
        plan, lock=True, exclude_booking_id=consultation.pk, only_for=consultation.starts_at
    )
    slot = find_bookable(schedule, consultation.starts_at, now)
    if slot is None or consultation.coordinator_id not in slot.coordinator_ids:
        raise _Raced


def _by_key(key):
    return Consultation.objects.filter(idempotency_key=key).first()


def _queue_booking_emails(
    consultation: Consultation, now: datetime, *, kind: str, staff: str, together_with=()
) -> None:
    """The client's confirmation and reminder (when they gave an email) and the staff
    notice, queued together with the booking (and written with `together_with`)."""
    queued = [emails.Queued(staff)]
    if consultation.email:
        sequence = consultation.ics_sequence
        queued.append(emails.Queued(kind, sequence=sequence))
        remind_at = consultation.starts_at - REMINDER_BEFORE
        if remind_at > now + timedelta(hours=1):
            queued.append(
                emails.Queued("consultation_reminder", sequence=sequence, send_after=remind_at)
            )
    emails.queue_emails(consultation, queued, together_with=together_with)


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
    SEQUENCE; the manage token is replaced, so the old link stops working. Written, then
    confirmed under the lock, as a booking is."""
    now = now or timezone.now()
    day = local_day(start)
    plan = load_hours(now, first_day=day, last_day=day)
    moved = None
    for _ in range(ATTEMPTS):
        try:
            with transaction.atomic():
                call = Consultation.objects.select_for_update().get(pk=consultation.pk)
                if not call.is_manageable(now):
                    raise BookingError()
                schedule = load_bookings(plan, exclude_booking_id=call.pk)
                slot = find_bookable(schedule, start, now)
                if slot is None:
                    break
                call.coordinator_id = pick_coordinator(schedule, slot)
                call.starts_at = slot.start
                call.ends_at = slot.end
                call.ics_sequence += 1
                call.manage_token = new_manage_token()
                call.save()
                _queue_booking_emails(
                    call,
                    now,
                    kind="consultation_rescheduled",
                    staff="consultation_staff_rescheduled",
                )
                _confirm(plan, call, now)
            moved = call
            break
        except (_Raced, IntegrityError):
            continue  # a booking committed meanwhile took that time: look again
    if moved is None:
        schedule = load_bookings(plan, exclude_booking_id=consultation.pk)
        raise _refuse(schedule, start, now, exclude_booking_id=consultation.pk)
    logger.info("consultation rescheduled id=%s", moved.pk)
    return moved


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
    consultation.phone = ""
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
    day = local_day(start)
    schedule = load_schedule(now, exclude_booking_id=consultation.pk, first_day=day, last_day=day)
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
