"""Minimal builders for tests and demo content."""

from datetime import time, timedelta

from .models import BookingRules, Consultation, Coordinator, WeeklyHours

WEEKDAYS = (0, 1, 2, 3, 4)


def build_rules(**fields) -> BookingRules:
    rules = BookingRules.load()
    defaults = {
        "call_minutes": 20,
        "buffer_minutes": 10,
        "min_notice_hours": 12,
        "horizon_days": 21,
        "daily_cap": None,
    }
    for name, value in {**defaults, **fields}.items():
        setattr(rules, name, value)
    rules.save()
    return rules


def build_coordinator(
    name: str = "Demo Coordinator",
    *,
    weekdays=WEEKDAYS,
    start: time = time(9),
    end: time = time(17),
    **fields,
) -> Coordinator:
    coordinator = Coordinator.objects.create(name=name, **fields)
    WeeklyHours.objects.bulk_create(
        [
            WeeklyHours(coordinator=coordinator, weekday=day, start_time=start, end_time=end)
            for day in weekdays
        ]
    )
    return coordinator


def build_consultation(*, coordinator: Coordinator, starts_at, **fields) -> Consultation:
    """A stored booking, written directly (the slot engine is not consulted)."""
    values = {
        "name": "Demo Client",
        "phone": "+13235550100",
        "status": Consultation.Status.REQUESTED,
        "ends_at": starts_at + timedelta(minutes=20),
        "consent_at": starts_at - timedelta(days=1),
    }
    values.update(fields)
    return Consultation.objects.create(coordinator=coordinator, starts_at=starts_at, **values)
