"""Demo content for the consultation booking: two coordinators with weekly hours, a holiday and
extra hours in the coming three weeks, the booking rules, and a few demo bookings in different
states. Everything is marked as demo data; running it twice changes nothing."""

from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from consultations.models import (
    AvailabilityException,
    BookingRules,
    Consultation,
    Coordinator,
    WeeklyHours,
)
from kindman.timezones import PRACTICE_TZ

COORDINATORS = {
    # name: [(weekday, start, end)]
    "Rosa Demo (care coordinator, demo)": [
        *[(day, time(9), time(17)) for day in range(5)],
        (5, time(9), time(12)),
    ],
    "Sam Demo (care coordinator, demo)": [(1, time(12), time(19)), (3, time(12), time(19))],
}

DEMO_BOOKINGS = [
    # (phone, name, status, days from today, local hour)
    ("+13235550101", "Alex (demo)", Consultation.Status.REQUESTED, 4, 10),
    ("+13235550102", "Jordan (demo)", Consultation.Status.CONFIRMED, 5, 14),
    ("+13235550103", "Casey (demo)", Consultation.Status.COMPLETED, -3, 11),
    ("+13235550104", "Riley (demo)", Consultation.Status.CANCELLED, 6, 9),
    ("+13235550105", "Morgan (demo)", Consultation.Status.NO_SHOW, -2, 15),
]


class Command(BaseCommand):
    help = "Add demo coordinators, hours, exceptions and bookings (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        rules = BookingRules.load()
        if not rules.pk:
            rules.save()
        today = timezone.now().astimezone(PRACTICE_TZ).date()
        coordinators = []
        for name, hours in COORDINATORS.items():
            coordinator, created = Coordinator.objects.get_or_create(name=name)
            coordinators.append(coordinator)
            if created:
                WeeklyHours.objects.bulk_create(
                    WeeklyHours(coordinator=coordinator, weekday=d, start_time=s, end_time=e)
                    for d, s, e in hours
                )
        if not AvailabilityException.objects.filter(reason__endswith="(demo)").exists():
            holiday = _next_weekday(today + timedelta(days=8))
            extra = _next_weekday(today + timedelta(days=10), weekday=2)
            AvailabilityException.objects.create(
                date=holiday,
                kind=AvailabilityException.Kind.CLOSED,
                reason="Practice holiday (demo)",
            )
            AvailabilityException.objects.create(
                coordinator=coordinators[0],
                date=extra,
                kind=AvailabilityException.Kind.EXTRA,
                start_time=time(17),
                end_time=time(19),
                reason="Evening hours (demo)",
            )
        for phone, name, status, days, hour in DEMO_BOOKINGS:
            if Consultation.objects.filter(phone=phone).exists():
                continue
            day = (
                _next_weekday(today + timedelta(days=days))
                if days > 0
                else today + timedelta(days=days)
            )
            starts_at = datetime.combine(day, time(hour), tzinfo=PRACTICE_TZ)
            Consultation.objects.create(
                coordinator=coordinators[0],
                name=name,
                phone=phone,
                status=status,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=rules.call_minutes),
                consent_at=timezone.now(),
                interest=Consultation.Interest.EITHER,
                state="CA",
                note="Demo booking: invented for the demo site.",
            )
        self.stdout.write("Consultation demo content is in place.")


def _next_weekday(day, weekday=None):
    """`day`, or the next Monday–Friday (or the given weekday) on or after it."""
    while (weekday is None and day.weekday() >= 5) or (
        weekday is not None and day.weekday() != weekday
    ):
        day += timedelta(days=1)
    return day
