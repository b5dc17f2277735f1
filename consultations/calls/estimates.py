"""Good Faith Estimate requests (No Surprises Act): when one is due, asking for one with a
booking, and marking it sent.

A request is due three business days after the day it was made, counted in Pacific time:
weekends and the practice's closed days (a practice-wide "closed" exception for the whole day,
as set in Consultations → Days off & extra hours) are not business days."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from kindman.timezones import PRACTICE_TZ

from .models import AvailabilityException, Consultation, GoodFaithEstimate

BUSINESS_DAYS = 3
SATURDAY = 5
# Far enough to step over any run of weekends and holidays three business days can span.
LOOK_AHEAD = timedelta(days=60)


def closed_days(first: date, last: date) -> set[date]:
    """The days between `first` and `last` on which the whole practice is closed."""
    return set(
        AvailabilityException.objects.filter(
            coordinator__isnull=True,
            kind=AvailabilityException.Kind.CLOSED,
            start_time__isnull=True,
            date__range=(first, last),
        ).values_list("date", flat=True)
    )


def due_date(requested_at: datetime) -> date:
    """The Pacific-time day by which the estimate must be sent."""
    day = requested_at.astimezone(PRACTICE_TZ).date()
    closed = closed_days(day, day + LOOK_AHEAD)
    counted = 0
    while counted < BUSINESS_DAYS:
        day += timedelta(days=1)
        if day.weekday() < SATURDAY and day not in closed:
            counted += 1
    return day


def request_estimate(consultation: Consultation, *, now: datetime) -> GoodFaithEstimate:
    """Put a Good Faith Estimate on the coordinator's agenda (inside the booking's transaction)."""
    return GoodFaithEstimate.objects.create(
        consultation=consultation, requested_at=now, due_on=due_date(now)
    )


def mark_sent(estimate: GoodFaithEstimate, *, user, now: datetime | None = None) -> bool:
    """Record that the estimate went out; False if it was already marked."""
    with transaction.atomic():
        estimate = GoodFaithEstimate.objects.select_for_update().get(pk=estimate.pk)
        if estimate.sent_at is not None:
            return False
        estimate.sent_at = now or timezone.now()
        estimate.sent_by = user
        estimate.save(update_fields=["sent_at", "sent_by"])
        log(estimate.consultation, "consultations.estimate_sent", user=user)
    return True
