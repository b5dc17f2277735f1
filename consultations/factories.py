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


# --- Information sessions ---


def build_info_session(*, starts_in=timedelta(days=7), minutes=60, **fields):
    """A published, open session starting `starts_in` from now."""
    from django.utils import timezone

    from .models import InfoSession

    starts_at = (timezone.now() + starts_in).replace(microsecond=0)
    values = {
        "title": "Therapy for sex workers: a free information session",
        "slug": "sex-worker-info-session",
        "audience": "Free information session: therapy for sex workers",
        "description": "What to expect, and time for questions.",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=minutes),
        "format": InfoSession.Format.IN_PERSON,
        "place": "5900 York Blvd, Highland Park, Los Angeles",
        "capacity": 3,
    }
    values.update(fields)
    return InfoSession.objects.create(**values)


def build_bench_bookings(*, weeks: int, coordinators: int = 6) -> None:
    """Benchmark volumes (idempotent): a large team answering 8:00–20:00 every day, so thousands
    of calls can be booked under load, and `weeks` of past calls in every closing state."""
    from django.utils import timezone

    if Coordinator.objects.filter(name__startswith="Bench coordinator").exists():
        return
    build_rules(min_notice_hours=0, buffer_minutes=0, horizon_days=21, daily_cap=None)
    team = [
        build_coordinator(f"Bench coordinator {n:02d} (demo)", weekdays=range(7), start=time(8),
                          end=time(20))
        for n in range(coordinators)
    ]  # fmt: skip
    statuses = [Consultation.Status.COMPLETED, Consultation.Status.NO_SHOW,
                Consultation.Status.CANCELLED]  # fmt: skip
    start = (timezone.now() - timedelta(weeks=weeks)).replace(minute=0, second=0, microsecond=0)
    Consultation.objects.bulk_create(
        Consultation(
            coordinator=team[n % coordinators],
            starts_at=start + timedelta(minutes=20 * n),
            ends_at=start + timedelta(minutes=20 * n + 20),
            status=statuses[n % 3],
            name="Bench caller (demo)",
            phone=f"+1323550{n:04d}",
            consent_at=start,
        )
        for n in range(weeks * 7 * 12 * 3)  # a past call every 20 minutes, as history
    )
