"""The one slot engine. Every rule (weekly hours, exceptions, buffer, notice, horizon, daily cap)
is decided here, for the booking page, on submit, on reschedule and on staff edits.

Slots are generated in the practice's local wall time (America/Los_Angeles) and converted to
UTC, so a daylight-saving change never shifts, doubles or drops a slot: local times that do not
exist (spring forward) are skipped, ambiguous ones (fall back) take their first occurrence
(`fold=0`).

The daily cap counts every active call on a local day across all coordinators: it is how many
calls the practice takes that day, whoever answers.

`load_schedule` reads everything in a handful of queries; the functions below are pure and take
`now` explicitly, so tests can pin the clock."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby

from .timezones import PRACTICE_TZ


@dataclass(frozen=True)
class Rules:
    call_minutes: int = 20
    buffer_minutes: int = 10
    min_notice_hours: int = 12
    horizon_days: int = 21
    daily_cap: int | None = None

    @classmethod
    def from_settings(cls, settings) -> "Rules":
        return cls(
            call_minutes=settings.call_minutes,
            buffer_minutes=settings.buffer_minutes,
            min_notice_hours=settings.min_notice_hours,
            horizon_days=settings.horizon_days,
            daily_cap=settings.daily_cap,
        )

    @property
    def call(self) -> timedelta:
        return timedelta(minutes=self.call_minutes)

    @property
    def buffer(self) -> timedelta:
        return timedelta(minutes=self.buffer_minutes)

    @property
    def notice(self) -> timedelta:
        return timedelta(hours=self.min_notice_hours)

    @property
    def horizon(self) -> timedelta:
        return timedelta(days=self.horizon_days)


@dataclass(frozen=True)
class Hours:
    coordinator_id: int
    weekday: int  # Monday is 0
    start: time
    end: time


@dataclass(frozen=True)
class DatedException:
    coordinator_id: int | None  # None: every coordinator
    date: date
    kind: str  # "closed" or "extra"
    start: time | None = None
    end: time | None = None


@dataclass(frozen=True)
class Booked:
    coordinator_id: int
    start: datetime
    end: datetime


@dataclass
class Schedule:
    rules: Rules
    coordinator_ids: list[int]
    hours: list[Hours] = field(default_factory=list)
    exceptions: list[DatedException] = field(default_factory=list)
    bookings: list[Booked] = field(default_factory=list)


@dataclass(frozen=True)
class Slot:
    start: datetime  # aware, UTC
    end: datetime
    coordinator_ids: tuple[int, ...]
    call_us: bool = False  # inside the notice window: shown as "call us to book"

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(PRACTICE_TZ)

    @property
    def value(self) -> str:
        """The form value: the UTC start in ISO 8601."""
        return slot_value(self.start)


def slot_value(start: datetime) -> str:
    return start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_slot_value(value: str) -> datetime | None:
    """The UTC start in a form value, or None for anything malformed."""
    try:
        parsed = datetime.strptime(str(value).strip(), "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC)


# --- wall-clock intervals in minutes since local midnight ---------------------------------


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _merge(intervals):
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _subtract(intervals, cut_start, cut_end):
    result = []
    for start, end in intervals:
        if cut_end <= start or cut_start >= end:
            result.append((start, end))
            continue
        if start < cut_start:
            result.append((start, cut_start))
        if cut_end < end:
            result.append((cut_end, end))
    return result


def working_intervals(schedule: Schedule, coordinator_id: int, day: date):
    """The coordinator's local working stretches on `day`, exceptions applied."""
    intervals = [
        (_minutes(h.start), _minutes(h.end))
        for h in schedule.hours
        if h.coordinator_id == coordinator_id and h.weekday == day.weekday()
    ]
    relevant = [
        e
        for e in schedule.exceptions
        if e.date == day and e.coordinator_id in (None, coordinator_id)
    ]
    for exc in relevant:
        if exc.kind == "closed":
            if exc.start is None or exc.end is None:
                intervals = []
            else:
                intervals = _subtract(intervals, _minutes(exc.start), _minutes(exc.end))
    for exc in relevant:
        if exc.kind == "extra" and exc.start is not None and exc.end is not None:
            intervals.append((_minutes(exc.start), _minutes(exc.end)))
    return _merge(intervals)


def local_to_utc(day: date, minute: int) -> datetime | None:
    """The UTC instant of a local wall time, or None when that wall time does not exist."""
    wall = datetime.combine(day, time(minute // 60, minute % 60))
    aware = wall.replace(tzinfo=PRACTICE_TZ, fold=0)
    instant = aware.astimezone(UTC)
    if instant.astimezone(PRACTICE_TZ).replace(tzinfo=None) != wall:
        return None  # skipped by the spring-forward change
    return instant


def _days(now: datetime, rules: Rules):
    first = now.astimezone(PRACTICE_TZ).date()
    last = (now + rules.horizon).astimezone(PRACTICE_TZ).date()
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def all_slots(schedule: Schedule, now: datetime, *, only_day: date | None = None) -> list[Slot]:
    """Every free future slot within the horizon, those inside the notice window flagged;
    with `only_day`, just that local day's (checking one submitted slot needs no more)."""
    rules = schedule.rules
    step = rules.call_minutes + rules.buffer_minutes
    horizon_end = now + rules.horizon
    notice_end = now + rules.notice
    by_coordinator = defaultdict(list)
    per_day = defaultdict(int)
    for booked in schedule.bookings:
        by_coordinator[booked.coordinator_id].append(booked)
        per_day[booked.start.astimezone(PRACTICE_TZ).date()] += 1

    free: dict[datetime, list[int]] = defaultdict(list)
    for day in _days(now, rules):
        if only_day is not None and day != only_day:
            continue
        if rules.daily_cap is not None and per_day[day] >= rules.daily_cap:
            continue
        for coordinator_id in schedule.coordinator_ids:
            for start_minute, end_minute in working_intervals(schedule, coordinator_id, day):
                minute = start_minute
                while minute + rules.call_minutes <= end_minute:
                    start = local_to_utc(day, minute)
                    minute += step
                    if start is None or start <= now or start >= horizon_end:
                        continue
                    end = start + rules.call
                    if any(
                        b.start - rules.buffer < end and start < b.end + rules.buffer
                        for b in by_coordinator[coordinator_id]
                    ):
                        continue
                    free[start].append(coordinator_id)

    return [
        Slot(
            start=start,
            end=start + rules.call,
            coordinator_ids=tuple(sorted(ids)),
            call_us=start < notice_end,
        )
        for start, ids in sorted(free.items())
    ]


def open_slots(schedule: Schedule, now: datetime, *, only_day: date | None = None) -> list[Slot]:
    """Slots a visitor may book online (not inside the notice window)."""
    return [slot for slot in all_slots(schedule, now, only_day=only_day) if not slot.call_us]


def local_day(start: datetime) -> date:
    return start.astimezone(PRACTICE_TZ).date()


def find_bookable(schedule: Schedule, start: datetime, now: datetime) -> Slot | None:
    """The open slot starting exactly at `start`, or None if any rule refuses it."""
    slots = open_slots(schedule, now, only_day=local_day(start))
    return next((slot for slot in slots if slot.start == start), None)


def is_bookable(schedule: Schedule, start: datetime, now: datetime) -> bool:
    return find_bookable(schedule, start, now) is not None


def nearest_open(schedule: Schedule, target: datetime, now: datetime, count: int = 3):
    """The open slots closest in time to `target`, in time order."""
    slots = open_slots(schedule, now)
    closest = sorted(slots, key=lambda slot: abs(slot.start - target))[:count]
    return sorted(closest, key=lambda slot: slot.start)


def by_day(slots) -> list[tuple[date, list[Slot]]]:
    """Slots grouped by their local (Pacific) date, in order."""
    return [(day, list(group)) for day, group in groupby(slots, key=lambda s: s.local_start.date())]


def pick_coordinator(schedule: Schedule, slot: Slot) -> int:
    """The free coordinator with the fewest calls that day (then the lowest id)."""
    day = slot.local_start.date()
    load = defaultdict(int)
    for booked in schedule.bookings:
        if booked.start.astimezone(PRACTICE_TZ).date() == day:
            load[booked.coordinator_id] += 1
    return min(slot.coordinator_ids, key=lambda cid: (load[cid], cid))


def load_schedule(
    now: datetime, *, lock: bool = False, exclude_booking_id: int | None = None
) -> Schedule:
    """Everything the engine needs, in five queries. With `lock`, the active coordinators' rows
    are locked (`SELECT … FOR UPDATE`) until the surrounding transaction ends, so concurrent
    bookings are decided one after another (buffers and the daily cap included)."""
    from .models import AvailabilityException, BookingRules, Consultation, Coordinator, WeeklyHours

    rules = Rules.from_settings(BookingRules.load())
    coordinators = Coordinator.objects.active().order_by("pk")
    if lock:
        coordinators = coordinators.select_for_update()
    coordinator_ids = [c.pk for c in coordinators.only("pk")]
    days = list(_days(now, rules))
    hours = [
        Hours(h.coordinator_id, h.weekday, h.start_time, h.end_time)
        for h in WeeklyHours.objects.filter(coordinator_id__in=coordinator_ids)
    ]
    exceptions = [
        DatedException(e.coordinator_id, e.date, e.kind, e.start_time, e.end_time)
        for e in AvailabilityException.objects.filter(date__gte=days[0], date__lte=days[-1])
    ]
    window_start = datetime.combine(days[0], time(), tzinfo=PRACTICE_TZ) - timedelta(days=1)
    window_end = now + rules.horizon + timedelta(days=1)
    booked = Consultation.objects.in_window(window_start, window_end)
    if exclude_booking_id is not None:
        booked = booked.exclude(pk=exclude_booking_id)
    bookings = [
        Booked(b.coordinator_id, b.starts_at, b.ends_at)
        for b in booked.only("coordinator_id", "starts_at", "ends_at")
    ]
    return Schedule(rules, coordinator_ids, hours, exceptions, bookings)
