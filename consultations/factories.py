"""Test and demo data through factory_boy: coordinators with their weekly hours, calls,
information sessions and registrations. The `build_*` names are the ones the tests and seeds
call; they are the factories, or a factory plus the one thing it cannot express."""

from datetime import time, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from .models import (
    BookingRules,
    Consultation,
    Coordinator,
    InfoSession,
    SessionRegistration,
    WeeklyHours,
)

WEEKDAYS = (0, 1, 2, 3, 4)


def build_rules(**fields) -> BookingRules:
    """The booking rules (a site setting, so one row), with these values."""
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


class CoordinatorFactory(DjangoModelFactory):
    """A coordinator; `hours=(weekdays, start, end)` gives the same Pacific-time hours on each of
    those weekdays (default: weekdays 9:00–17:00)."""

    class Meta:
        model = Coordinator
        skip_postgeneration_save = True  # the hours are rows of their own

    name = "Demo Coordinator"

    @factory.post_generation
    def hours(coordinator, create, extracted, **kwargs):
        if not create:
            return
        weekdays, start, end = extracted or (WEEKDAYS, time(9), time(17))
        WeeklyHours.objects.bulk_create(
            WeeklyHours(coordinator=coordinator, weekday=day, start_time=start, end_time=end)
            for day in weekdays
        )


def build_coordinator(
    name: str = "Demo Coordinator",
    *,
    weekdays=WEEKDAYS,
    start: time = time(9),
    end: time = time(17),
    **fields,
) -> Coordinator:
    return CoordinatorFactory(name=name, hours=(weekdays, start, end), **fields)


class ConsultationFactory(DjangoModelFactory):
    """A stored call, written directly (the slot engine is not consulted)."""

    class Meta:
        model = Consultation

    coordinator = factory.SubFactory(CoordinatorFactory)
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda call: call.starts_at + timedelta(minutes=20))
    consent_at = factory.LazyAttribute(lambda call: call.starts_at - timedelta(days=1))
    name = "Demo Client"
    phone = "+13235550100"
    status = Consultation.Status.REQUESTED


build_consultation = ConsultationFactory


class InfoSessionFactory(DjangoModelFactory):
    """A published, open session starting `starts_in` from now and lasting `minutes`."""

    class Meta:
        model = InfoSession

    class Params:
        starts_in = timedelta(days=7)
        minutes = 60

    title = "Therapy for sex workers: a free information session"
    slug = "sex-worker-info-session"
    audience = "Free information session: therapy for sex workers"
    description = "What to expect, and time for questions."
    starts_at = factory.LazyAttribute(
        lambda session: (timezone.now() + session.starts_in).replace(microsecond=0)
    )
    ends_at = factory.LazyAttribute(
        lambda session: session.starts_at + timedelta(minutes=session.minutes)
    )
    format = InfoSession.Format.IN_PERSON
    place = "5900 York Blvd, Highland Park, Los Angeles"
    capacity = 3


build_info_session = InfoSessionFactory


class SessionRegistrationFactory(DjangoModelFactory):
    """A registration written directly (no seat counting: use `sessions.actions.register`)."""

    class Meta:
        model = SessionRegistration

    session = factory.SubFactory(InfoSessionFactory)
    name = factory.Sequence(lambda n: f"Guest {n}")
    email = factory.Sequence(lambda n: f"guest{n}@example.com")
    consent_at = factory.LazyFunction(timezone.now)


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
