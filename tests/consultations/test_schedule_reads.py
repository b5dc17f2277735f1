"""The booking path's hand-written reads of a day's calls and of each coordinator's load
(`consultations.slots`) answer exactly as the ORM queries they stand for, on real PostgreSQL;
the locked read gives the active coordinators in order."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django.db.models import Count

from consultations.factories import build_consultation, build_coordinator
from consultations.models import Consultation, Coordinator
from consultations.slots import (
    _active_calls_and_day_counts,
    _active_calls_between,
    load_bookings,
    load_hours,
)

pytestmark = pytest.mark.django_db

BASE = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)


def test_calls_between_match_the_orm_window_at_every_boundary_and_status():
    coordinator = build_coordinator("Reads Coordinator")
    other = build_coordinator("Other Coordinator")
    made = []
    for index, (offset, minutes) in enumerate(
        [(-30, 20), (-20, 20), (-10, 20), (0, 20), (50, 10), (59, 1), (60, 20), (61, 7)]
    ):
        for number, status in enumerate(Consultation.Status.values):
            tick = timedelta(microseconds=index * 10 + number)
            made.append(
                build_consultation(
                    coordinator=coordinator if index % 2 else other,
                    starts_at=BASE + timedelta(minutes=offset) + tick,
                    ends_at=BASE + timedelta(minutes=offset + minutes) + tick,
                    status=status,
                    phone=f"+1323556{len(made):04d}",
                )
            )
    start, end = BASE, BASE + timedelta(minutes=60)
    edge = build_coordinator("Edge Coordinator")
    for starts_at in (start - timedelta(minutes=20), end):  # touching the window, not in it
        made.append(
            build_consultation(coordinator=edge, starts_at=starts_at, phone=f"+132355{len(made)}")
        )
    for exclude in (None, made[3].pk, made[-1].pk):
        expected = Consultation.objects.in_window(start, end)
        if exclude:
            expected = expected.exclude(pk=exclude)
        want = sorted(expected.values_list("coordinator_id", "starts_at", "ends_at"))
        calls = _active_calls_between(start, end, exclude)
        got = sorted((call.coordinator_id, call.start, call.end) for call in calls)
        assert got == want and want  # the same rows, exact to the microsecond
        assert all(call.start.utcoffset() == timedelta(0) for call in calls)  # aware, UTC

        # The same calls with the counts of a "day" whose bounds are active calls' start times
        # (the first is counted, 1 µs after an uncounted one; the last is not).
        day_start, day_end = made[1].starts_at, made[-1].starts_at
        with_counts, counts = _active_calls_and_day_counts(start, end, exclude, day_start, day_end)
        assert sorted((call.coordinator_id, call.start, call.end) for call in with_counts) == want
        counted = Consultation.objects.active().filter(
            starts_at__gte=day_start, starts_at__lt=day_end
        )
        if exclude:
            counted = counted.exclude(pk=exclude)
        want_counts = dict(
            counted.values_list("coordinator_id")
            .annotate(n=Count("pk"))
            .values_list("coordinator_id", "n")
        )
        assert counts == want_counts and len(want_counts) == 3


def test_locked_coordinators_are_the_active_ones_in_order():
    first = build_coordinator("B Coordinator")
    build_coordinator("Inactive Coordinator", active=False)
    second = build_coordinator("A Coordinator")
    plan = load_hours(BASE)
    with transaction.atomic():
        locked = load_bookings(plan, lock=True).coordinator_ids
        assert list(locked) == sorted([first.pk, second.pk])
    assert list(locked) == list(
        Coordinator.objects.active().order_by("pk").values_list("pk", flat=True)
    )
