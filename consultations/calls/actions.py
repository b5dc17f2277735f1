"""The booking actions: book, cancel, reschedule and erase a consultation.

A booking or a move is decided one at a time: its transaction locks the active coordinators'
rows (`SELECT … FOR UPDATE`) before it reads the day's calls, so two visitors racing for one
time (or for two times too close together, or for a day's last call) are decided one after the
other, and the second sees the first's call. The partial unique constraint on `Consultation`
(one active call per coordinator and start) is the database's last word, against staff edits
too, which are not locked."""

import logging
import uuid
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from wagtail.log_actions import log

from kindman.emails import queue_email
from kindman.practice.models import notice_versions_in_force

from ..bookings.models import new_manage_token
from .estimates import request_estimate
from .models import Consultation, GoodFaithEstimate
from .slots import (
    Slot,
    find_bookable,
    load_schedule,
    local_day,
    nearest_open,
    pick_coordinator,
    refusal,
)

logger = logging.getLogger(__name__)

REMINDER_BEFORE = timedelta(hours=24)


class BookingError(Exception):
    message = _("We couldn't book that time.")


class SlotUnavailable(BookingError):
    """The engine refuses the time for a reason other than a booking (see `slots.refusal`)."""

    def __init__(self, reason: str):
        super().__init__(self.message)
        self.reason = reason


class SlotTaken(BookingError):
    message = _("Sorry, that time was just taken (or is no longer available).")

    def __init__(self, nearest: list[Slot] | None = None):
        super().__init__(self.message)
        self.nearest = nearest or []


def _refuse(start: datetime, now: datetime, *, exclude_booking_id: int | None = None):
    """The error for a time the engine would not give: SlotTaken with the nearest open times,
    or SlotUnavailable with the reason."""
    day = local_day(start)
    schedule = load_schedule(
        now, exclude_booking_id=exclude_booking_id, first_day=day, last_day=day
    )
    reason = refusal(schedule, start, now) or "taken"
    if reason != "taken":
        return SlotUnavailable(reason)
    everything = load_schedule(now, exclude_booking_id=exclude_booking_id)
    return SlotTaken(nearest_open(everything, start, now))


@sensitive_variables()
def book(
    *,
    start: datetime,
    details: dict,
    idempotency_key: uuid.UUID | None = None,
    wants_estimate: bool = False,
    now=None,
) -> tuple[Consultation, bool]:
    """Book the call starting at `start` (UTC). Returns (consultation, created); a repeated
    idempotency key returns the earlier booking instead of a second one. The booking records
    the versions of the privacy notice and telehealth consent live at this moment. The
    booking, its Good Faith Estimate request (`wants_estimate`), its queued emails and its
    audit-log entry are committed together.

    A phone number that has another open call books like any other: the answer must not tell a
    visitor whose number it is (the coordinator sees the clash)."""
    now = now or timezone.now()
    if idempotency_key and (earlier := _by_key(idempotency_key)):
        return earlier, False
    day = local_day(start)
    consultation = None
    try:
        with transaction.atomic():
            schedule = load_schedule(now, lock=True, first_day=day, last_day=day)
            slot = find_bookable(schedule, start, now)
            if slot is not None:
                consultation = Consultation.objects.create(
                    **details,
                    **notice_versions_in_force(),
                    idempotency_key=idempotency_key,
                    coordinator_id=pick_coordinator(schedule, slot),
                    starts_at=slot.start,
                    ends_at=slot.end,
                    consent_at=now,
                )
                if wants_estimate:
                    request_estimate(consultation, now=now)
                _queue_booking_emails(
                    consultation,
                    now,
                    kind="consultation_confirmation",
                    staff="consultation_staff_new",
                )
                log(consultation, "consultations.book")
    except IntegrityError:
        # The same key sent twice at once, or the time taken by a staff edit meanwhile.
        consultation = None
    if consultation is None:
        if idempotency_key and (earlier := _by_key(idempotency_key)):
            return earlier, False  # the same submission, sent twice at once, was booked first
        raise _refuse(start, now)
    logger.info("consultation booked id=%s", consultation.pk)
    return consultation, True


def _by_key(key):
    return Consultation.objects.filter(idempotency_key=key).first()


def _queue_booking_emails(consultation: Consultation, now: datetime, *, kind: str, staff: str):
    """The staff notice, and the client's confirmation and reminder when they gave an email."""
    queue_email(staff, consultation)
    if consultation.email:
        sequence = consultation.ics_sequence
        queue_email(kind, consultation, sequence=sequence)
        remind_at = consultation.starts_at - REMINDER_BEFORE
        if remind_at > now + timedelta(hours=1):
            queue_email(
                "consultation_reminder", consultation, sequence=sequence, send_after=remind_at
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
            queue_email("consultation_cancelled", consultation, sequence=consultation.ics_sequence)
        queue_email("consultation_staff_cancelled", consultation)
    logger.info("consultation cancelled id=%s", consultation.pk)
    return consultation


def reschedule(consultation: Consultation, *, start: datetime, now=None) -> Consultation:
    """Move an upcoming call to another open slot, decided under the lock as a booking is. The
    invite keeps its UID and gets a higher SEQUENCE; the private link keeps working (it dies
    only when the call is cancelled, erased or over)."""
    now = now or timezone.now()
    day = local_day(start)
    moved = None
    try:
        with transaction.atomic():
            call = Consultation.objects.select_for_update().get(pk=consultation.pk)
            if not call.is_manageable(now):
                raise BookingError()
            schedule = load_schedule(
                now, lock=True, exclude_booking_id=call.pk, first_day=day, last_day=day
            )
            slot = find_bookable(schedule, start, now)
            if slot is not None:
                call.coordinator_id = pick_coordinator(schedule, slot)
                call.starts_at = slot.start
                call.ends_at = slot.end
                call.ics_sequence += 1
                call.save()
                _queue_booking_emails(
                    call,
                    now,
                    kind="consultation_rescheduled",
                    staff="consultation_staff_rescheduled",
                )
                moved = call
    except IntegrityError:
        moved = None  # the time was taken by a staff edit meanwhile
    if moved is None:
        raise _refuse(start, now, exclude_booking_id=consultation.pk)
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
            queue_email("consultation_staff_cancelled", consultation)
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
    consultation.payment = ""
    consultation.session_location = ""
    # A request nobody can answer any more (the phone and email are gone).
    GoodFaithEstimate.objects.filter(consultation=consultation).delete()
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
