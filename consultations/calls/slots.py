"""The one slot engine. Every rule (weekly hours, exceptions, buffer, notice, horizon, daily cap)
is decided here, for the booking page, on submit, on reschedule and on staff edits.

Slots are generated in the practice's local wall time (America/Los_Angeles) and converted to
UTC, so a daylight-saving change never shifts, doubles or drops a slot: local times that do not
exist (spring forward) are skipped, ambiguous ones (fall back) take their first occurrence
(`fold=0`).

The daily cap counts every active call on a local day across all coordinators: it is how many
calls the practice takes that day, whoever answers.

`load_schedule` reads everything in a handful of queries; the functions in between are pure and
take `now` explicitly, so tests can pin the clock."""

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from itertools import groupby
from typing import NamedTuple

from kindman.timezones import PRACTICE_TZ


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


class Booked(NamedTuple):
    """A call that holds its coordinator's time."""

    coordinator_id: int
    start: datetime
    end: datetime


@dataclass
class Schedule:
    rules: Rules
    coordinator_ids: Sequence[int]
    hours: Sequence[Hours] = ()
    exceptions: Sequence[DatedException] = ()
    bookings: Sequence[Booked] = ()
    # The local days whose bookings were loaded (None: all of the horizon); the engine
    # offers nothing outside them.
    first_day: date | None = None
    last_day: date | None = None


@dataclass(frozen=True)
class Slot:
    start: datetime  # aware, UTC
    end: datetime
    coordinator_ids: tuple[int, ...]
    call_us: bool = False  # inside the notice window: shown as "call us to book"

    @cached_property
    def local_start(self) -> datetime:
        return self.start.astimezone(PRACTICE_TZ)

    @cached_property
    def value(self) -> str:
        """The form value: the UTC start in ISO 8601."""
        return slot_value(self.start)

    @cached_property
    def html_id(self) -> str:
        """The radio button's id, the target of the "nearest times" links."""
        return "slot-" + self.start.astimezone(UTC).strftime("%Y%m%dt%H%M")

    @cached_property
    def time_label(self) -> str:
        """'9:30 AM', Pacific time."""
        return f"{self.local_start:%-I:%M %p}"


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
    return _Engine(schedule, datetime.now(UTC)).working_intervals(coordinator_id, day)


def local_to_utc(day: date, minute: int) -> datetime | None:
    """The UTC instant of a local wall time, or None when that wall time does not exist."""
    wall = datetime.combine(day, time(minute // 60, minute % 60))
    aware = wall.replace(tzinfo=PRACTICE_TZ, fold=0)
    instant = aware.astimezone(UTC)
    if instant.astimezone(PRACTICE_TZ).replace(tzinfo=None) != wall:
        return None  # skipped by the spring-forward change
    return instant


def _day_to_utc(day: date):
    """minute-of-day -> UTC instant for `day`: plain addition unless the offset changes that
    day (then the careful `local_to_utc`)."""
    first = datetime.combine(day, time(0), tzinfo=PRACTICE_TZ).utcoffset()
    last = datetime.combine(day, time(23, 59), tzinfo=PRACTICE_TZ).utcoffset()
    if first != last:
        return lambda minute: local_to_utc(day, minute)
    midnight = datetime.combine(day, time(0), tzinfo=UTC) - first
    return lambda minute: midnight + timedelta(minutes=minute)


def horizon_days(now: datetime, rules: Rules) -> tuple[date, date]:
    """The first and last local day on which a slot may fall."""
    return local_day(now), local_day(now + rules.horizon)


WEEK = timedelta(days=7)


def week_start(day: date) -> date:
    """The Monday of `day`'s week: the booking page shows slots a week at a time."""
    return day - timedelta(days=day.weekday())


def _days(now: datetime, rules: Rules):
    first, last = horizon_days(now, rules)
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


class _Engine:
    """The schedule indexed once (hours by coordinator and weekday, exceptions by date, each
    coordinator's busy time as sorted disjoint intervals), so each candidate slot costs a
    binary search instead of a scan of every booking."""

    def __init__(self, schedule: Schedule, now: datetime):
        rules = schedule.rules
        self.schedule = schedule
        self.rules = rules
        self.now = now
        self.horizon_end = now + rules.horizon
        self.notice_end = now + rules.notice
        self.hours = defaultdict(list)
        for h in schedule.hours:
            self.hours[h.coordinator_id, h.weekday].append((_minutes(h.start), _minutes(h.end)))
        self.exceptions = defaultdict(list)
        for exc in schedule.exceptions:
            self.exceptions[exc.date].append(exc)
        self.per_day = defaultdict(int)
        spans = defaultdict(list)
        buffer = rules.buffer
        for booked in schedule.bookings:
            self.per_day[local_day(booked.start)] += 1
            spans[booked.coordinator_id].append((booked.start - buffer, booked.end + buffer))
        self.busy = {}
        for coordinator_id, intervals in spans.items():
            merged = _merge(intervals)
            self.busy[coordinator_id] = ([s for s, _ in merged], [e for _, e in merged])

    def working_intervals(self, coordinator_id: int, day: date):
        intervals = list(self.hours.get((coordinator_id, day.weekday()), ()))
        relevant = [
            e for e in self.exceptions.get(day, ()) if e.coordinator_id in (None, coordinator_id)
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

    def free_on(self, day: date, only: datetime | None = None) -> dict[datetime, list[int]]:
        """Free start times on one local day, each with its free coordinators (with `only`,
        just that start time, if it is one)."""
        rules = self.rules
        free: dict[datetime, list[int]] = defaultdict(list)
        if rules.daily_cap is not None and self.per_day[day] >= rules.daily_cap:
            return free
        step = rules.call_minutes + rules.buffer_minutes
        call = rules.call
        to_utc = _day_to_utc(day)
        only_minute = None
        if only is not None:
            local = only.astimezone(PRACTICE_TZ)
            if local.date() != day:
                return free
            only_minute = local.hour * 60 + local.minute
        for coordinator_id in self.schedule.coordinator_ids:
            starts, ends = self.busy.get(coordinator_id, ((), ()))
            for start_minute, end_minute in self.working_intervals(coordinator_id, day):
                minutes = range(start_minute, end_minute - rules.call_minutes + 1, step)
                if only_minute is not None:
                    minutes = [only_minute] if only_minute in minutes else []
                for minute in minutes:
                    start = to_utc(minute)
                    if start is None or start <= self.now or start >= self.horizon_end:
                        continue
                    if only is not None and start != only:
                        continue
                    end = start + call
                    # busy intervals are disjoint and sorted: only the last one starting
                    # before this call ends can overlap it
                    index = bisect_left(starts, end)
                    if index and ends[index - 1] > start:
                        continue
                    free[start].append(coordinator_id)
        return free

    def slots_on(self, days) -> list[Slot]:
        free: dict[datetime, list[int]] = {}
        for day in days:
            free.update(self.free_on(day))
        call = self.rules.call
        return [
            Slot(
                start=start,
                end=start + call,
                coordinator_ids=tuple(sorted(ids)),
                call_us=start < self.notice_end,
            )
            for start, ids in sorted(free.items())
        ]


def _loaded_days(schedule: Schedule, now: datetime, first: date | None, last: date | None):
    """The horizon's days within [first, last] and within the days the schedule holds the
    bookings of (a schedule loaded for one week knows nothing about the next)."""
    low, high = horizon_days(now, schedule.rules)
    for bound_low, bound_high in ((first, last), (schedule.first_day, schedule.last_day)):
        low = max(low, bound_low) if bound_low else low
        high = min(high, bound_high) if bound_high else high
    day = low
    while day <= high:
        yield day
        day += timedelta(days=1)


def all_slots(
    schedule: Schedule,
    now: datetime,
    *,
    only_day: date | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
) -> list[Slot]:
    """Every free future slot within the horizon, those inside the notice window flagged;
    with `only_day` (or `first_day`/`last_day`), just those local days'."""
    if only_day is not None:
        first_day = last_day = only_day
    engine = _Engine(schedule, now)
    return engine.slots_on(_loaded_days(schedule, now, first_day, last_day))


def open_slots(
    schedule: Schedule,
    now: datetime,
    *,
    only_day: date | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
) -> list[Slot]:
    """Slots a visitor may book online (not inside the notice window)."""
    slots = all_slots(schedule, now, only_day=only_day, first_day=first_day, last_day=last_day)
    return [slot for slot in slots if not slot.call_us]


def local_day(start: datetime) -> date:
    return start.astimezone(PRACTICE_TZ).date()


def find_bookable(schedule: Schedule, start: datetime, now: datetime) -> Slot | None:
    """The open slot starting exactly at `start`, or None if any rule refuses it. Only that
    start is looked at, not every slot of its day."""
    day = local_day(start)
    if day not in _loaded_days(schedule, now, day, day):
        return None
    engine = _Engine(schedule, now)
    coordinator_ids = engine.free_on(day, only=start).get(start)
    if not coordinator_ids or start < engine.notice_end:
        return None
    return Slot(start, start + engine.rules.call, tuple(sorted(coordinator_ids)))


def refusal(schedule: Schedule, start: datetime, now: datetime) -> str | None:
    """Why a visitor may not book `start` online: "past", "taken" (free but for a booking or
    the daily cap), "too soon" (inside the notice window) or "unavailable"; None when they may.
    The schedule must hold the start's local day."""
    if start <= now:
        return "past"
    day = local_day(start)
    match = next((s for s in all_slots(schedule, now, only_day=day) if s.start == start), None)
    if match is None:
        unbooked = replace(schedule, bookings=[])
        if any(s.start == start for s in open_slots(unbooked, now, only_day=day)):
            return "taken"
        return "unavailable"
    return "too soon" if match.call_us else None


def nearest_open(schedule: Schedule, target: datetime, now: datetime, count: int = 3):
    """The open slots closest in time to `target`, in time order. Days are searched outwards
    from the target's day, and the search stops once no farther day can hold a closer slot."""
    engine = _Engine(schedule, now)
    days = list(_loaded_days(schedule, now, None, None))
    if not days:
        return []
    centre = min(max(local_day(target), days[0]), days[-1])
    found: list[Slot] = []
    for distance in range((days[-1] - days[0]).days + 1):
        nearby = {centre - timedelta(days=distance), centre + timedelta(days=distance)}
        ring = [day for day in sorted(nearby) if days[0] <= day <= days[-1]]
        found += [slot for slot in engine.slots_on(ring) if not slot.call_us]
        if len(found) >= count:
            gaps = sorted(abs(slot.start - target) for slot in found)
            # a slot on a day farther out is at least `distance` days (less a DST hour) away
            if gaps[count - 1] <= timedelta(days=distance, hours=-2):
                break
    closest = sorted(found, key=lambda slot: abs(slot.start - target))[:count]
    return sorted(closest, key=lambda slot: slot.start)


def by_day(slots) -> list[tuple[date, list[Slot]]]:
    """Slots grouped by their local (Pacific) date, in order."""
    return [(day, list(group)) for day, group in groupby(slots, key=lambda s: s.local_start.date())]


def pick_coordinator(schedule: Schedule, slot: Slot) -> int:
    """The free coordinator with the fewest calls that day (then the lowest id). The schedule
    must hold the whole of the slot's day."""
    day = slot.local_start.date()
    load = defaultdict(int)
    for booked in schedule.bookings:
        if local_day(booked.start) == day:
            load[booked.coordinator_id] += 1
    return min(slot.coordinator_ids, key=lambda cid: (load[cid], cid))


def load_schedule(
    now: datetime,
    *,
    lock: bool = False,
    exclude_booking_id: int | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
) -> Schedule:
    """Everything the engine needs, in five queries, for the local days `first_day` to
    `last_day` (default: the whole horizon). With `lock`, the active coordinators' rows are
    locked (`SELECT … FOR UPDATE`) until the surrounding transaction ends, so concurrent
    bookings are decided one after another (buffers and the daily cap included)."""
    schedule = load_hours(now, first_day=first_day, last_day=last_day)
    return load_bookings(schedule, lock=lock, exclude_booking_id=exclude_booking_id)


def load_hours(now: datetime, *, first_day: date | None = None, last_day: date | None = None):
    """The rules, the active coordinators' weekly hours and the exceptions of the days asked
    for (within the horizon). `load_bookings` completes the schedule."""
    from .models import AvailabilityException, BookingRules, WeeklyHours

    rules = Rules.from_settings(BookingRules.load())
    horizon_first, horizon_last = horizon_days(now, rules)
    first_day = max(first_day or horizon_first, horizon_first)
    last_day = min(last_day or horizon_last, horizon_last)
    hours = [
        Hours(*row)
        for row in WeeklyHours.objects.filter(coordinator__active=True).values_list(
            "coordinator_id", "weekday", "start_time", "end_time"
        )
    ]
    exceptions = [
        DatedException(*row)
        for row in AvailabilityException.objects.filter(
            date__gte=first_day, date__lte=last_day
        ).values_list("coordinator_id", "date", "kind", "start_time", "end_time")
    ]
    return Schedule(rules, (), hours, exceptions, (), first_day, last_day)


def load_bookings(
    schedule: Schedule, *, lock: bool = False, exclude_booking_id: int | None = None
) -> Schedule:
    """The active coordinators (their rows locked with `lock`) and every active call that can
    touch a slot on the schedule's days, through the buffer on either side."""
    from .models import Consultation, Coordinator

    rules = schedule.rules
    coordinators = Coordinator.objects.active().order_by("pk")
    if lock:
        coordinators = coordinators.select_for_update()
    start = datetime.combine(schedule.first_day, time(), tzinfo=PRACTICE_TZ)
    end = datetime.combine(schedule.last_day + timedelta(days=1), time(), tzinfo=PRACTICE_TZ)
    calls = Consultation.objects.in_window(
        start - rules.buffer,
        end + rules.call + rules.buffer,  # a slot may end after midnight
    ).exclude(pk=exclude_booking_id)
    return replace(
        schedule,
        coordinator_ids=tuple(coordinators.values_list("pk", flat=True)),
        bookings=[
            Booked(*row) for row in calls.values_list("coordinator_id", "starts_at", "ends_at")
        ],
    )
