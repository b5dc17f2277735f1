"""The slot engine as pure functions over an in-memory schedule, with a pinned clock."""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from consultations.calls.slots import (
    Booked,
    DatedException,
    Hours,
    Rules,
    Schedule,
    all_slots,
    by_day,
    find_bookable,
    local_to_utc,
    nearest_open,
    open_slots,
    parse_slot_value,
)
from kindman.timezones import PRACTICE_TZ


def la(*args) -> datetime:
    return datetime(*args, tzinfo=PRACTICE_TZ)


def weekdays(coordinator_id=1, start=time(9), end=time(17), days=range(5)):
    return [Hours(coordinator_id, day, start, end) for day in days]


def schedule(rules=None, hours=None, exceptions=(), bookings=(), coordinators=(1,)):
    return Schedule(
        rules=rules
        or Rules(call_minutes=20, buffer_minutes=10, min_notice_hours=12, horizon_days=21),
        coordinator_ids=list(coordinators),
        hours=list(hours if hours is not None else weekdays()),
        exceptions=list(exceptions),
        bookings=list(bookings),
    )


# Monday 2026-11-09, 06:00 in Los Angeles.
NOW = la(2026, 11, 9, 6)


def local_times(slots, day):
    return [s.local_start.strftime("%H:%M") for s in slots if s.local_start.date() == day]


def test_slots_follow_weekly_hours_with_call_length_plus_buffer_steps():
    slots = all_slots(schedule(), NOW)
    tuesday = local_times(slots, date(2026, 11, 10))
    assert tuesday[:3] == ["09:00", "09:30", "10:00"]
    assert tuesday[-1] == "16:30"  # 16:30 + 20 minutes ends inside 17:00
    assert len(tuesday) == 16
    assert local_times(slots, date(2026, 11, 14)) == []  # Saturday: no hours


def test_slots_are_stored_in_utc_and_labelled_in_pacific_time():
    slot = open_slots(schedule(), NOW)[0]
    assert slot.start.tzinfo == UTC
    assert slot.value == "2026-11-10T17:00:00Z"  # Tuesday 09:00 PST, first outside the notice
    assert parse_slot_value(slot.value) == slot.start


def test_slots_inside_the_notice_window_are_flagged_call_us_not_dropped():
    slots = all_slots(schedule(), NOW)
    monday = [s for s in slots if s.local_start.date() == date(2026, 11, 9)]
    # notice ends at 18:00 local: 09:00..17:30 would be inside; hours end at 17:00
    assert monday and all(s.call_us for s in monday)
    assert all(s.local_start.date() != date(2026, 11, 9) for s in open_slots(schedule(), NOW))


def test_past_slots_are_never_offered():
    now = la(2026, 11, 10, 12, 5)
    slots = all_slots(schedule(), now)
    assert all(s.start > now for s in slots)
    assert find_bookable(schedule(), la(2026, 11, 10, 9).astimezone(UTC), now) is None


def test_horizon_limits_how_far_ahead_slots_go():
    rules = Rules(horizon_days=3, min_notice_hours=0)
    slots = all_slots(schedule(rules=rules), NOW)
    assert max(s.start for s in slots) < NOW + timedelta(days=3)
    assert local_times(slots, date(2026, 11, 11))  # Wednesday, inside
    assert not local_times(slots, date(2026, 11, 12))  # Thursday 09:00 is past now + 3 days


def test_buffer_keeps_time_free_around_existing_bookings():
    booked = Booked(
        1, la(2026, 11, 10, 10).astimezone(UTC), la(2026, 11, 10, 10, 20).astimezone(UTC)
    )
    slots = all_slots(schedule(bookings=[booked]), NOW)
    tuesday = local_times(slots, date(2026, 11, 10))
    assert "10:00" not in tuesday
    assert "09:30" in tuesday  # ends 09:50, plus 10 minutes of buffer = 10:00
    assert "10:30" in tuesday  # booking ends 10:20, plus buffer = 10:30


def test_buffer_refuses_an_off_grid_booking_neighbour():
    # a staff-entered call at 10:15 blocks 09:30? no: 09:50+10 = 10:00 < 10:15; blocks 10:00 and 10:30
    booked = Booked(
        1, la(2026, 11, 10, 10, 15).astimezone(UTC), la(2026, 11, 10, 10, 35).astimezone(UTC)
    )
    tuesday = local_times(all_slots(schedule(bookings=[booked]), NOW), date(2026, 11, 10))
    assert "09:30" in tuesday
    assert "10:00" not in tuesday
    assert "10:30" not in tuesday
    assert "11:00" in tuesday


def test_closed_day_exception_removes_the_day_for_everyone():
    closed = DatedException(None, date(2026, 11, 11), "closed")
    slots = all_slots(schedule(exceptions=[closed]), NOW)
    assert local_times(slots, date(2026, 11, 11)) == []
    assert local_times(slots, date(2026, 11, 12))


def test_partial_closure_and_extra_hours_exceptions():
    exceptions = [
        DatedException(1, date(2026, 11, 10), "closed", time(12), time(14)),
        DatedException(1, date(2026, 11, 14), "extra", time(10), time(11)),
    ]
    slots = all_slots(schedule(exceptions=exceptions), NOW)
    tuesday = local_times(slots, date(2026, 11, 10))
    assert "11:30" in tuesday and "12:00" not in tuesday and "13:30" not in tuesday
    assert "14:00" in tuesday
    assert local_times(slots, date(2026, 11, 14)) == ["10:00", "10:30"]


def test_exception_for_one_coordinator_leaves_the_other_available():
    hours = weekdays(1) + weekdays(2)
    closed = DatedException(1, date(2026, 11, 10), "closed")
    slots = all_slots(schedule(hours=hours, exceptions=[closed], coordinators=(1, 2)), NOW)
    tuesday = [s for s in slots if s.local_start.date() == date(2026, 11, 10)]
    assert tuesday and all(s.coordinator_ids == (2,) for s in tuesday)


def test_slot_stays_open_while_any_coordinator_is_free():
    hours = weekdays(1) + weekdays(2, start=time(12), end=time(18))
    start = la(2026, 11, 10, 13).astimezone(UTC)
    booked = [Booked(1, start, start + timedelta(minutes=20))]
    sched = schedule(hours=hours, bookings=booked, coordinators=(1, 2))
    slot = find_bookable(sched, start, NOW)
    assert slot is not None and slot.coordinator_ids == (2,)
    booked.append(Booked(2, start, start + timedelta(minutes=20)))
    assert (
        find_bookable(schedule(hours=hours, bookings=booked, coordinators=(1, 2)), start, NOW)
        is None
    )
    tuesday = local_times(all_slots(sched, NOW), date(2026, 11, 10))
    assert "17:30" in tuesday  # only coordinator 2 works then


def test_daily_cap_closes_a_day_once_reached_across_coordinators():
    rules = Rules(daily_cap=2)
    hours = weekdays(1) + weekdays(2)
    day = date(2026, 11, 10)
    booked = [
        Booked(1, la(2026, 11, 10, 9).astimezone(UTC), la(2026, 11, 10, 9, 20).astimezone(UTC)),
        Booked(2, la(2026, 11, 10, 15).astimezone(UTC), la(2026, 11, 10, 15, 20).astimezone(UTC)),
    ]
    slots = all_slots(schedule(rules=rules, hours=hours, bookings=booked, coordinators=(1, 2)), NOW)
    assert local_times(slots, day) == []
    assert local_times(slots, date(2026, 11, 11))
    one = all_slots(
        schedule(rules=rules, hours=hours, bookings=booked[:1], coordinators=(1, 2)), NOW
    )
    assert local_times(one, day)


def test_forged_off_grid_time_is_not_bookable():
    assert find_bookable(schedule(), la(2026, 11, 10, 9, 10).astimezone(UTC), NOW) is None
    assert (
        find_bookable(schedule(), la(2026, 11, 10, 20).astimezone(UTC), NOW) is None
    )  # after hours


def test_nearest_open_lists_the_closest_times_in_order():
    target = la(2026, 11, 10, 12).astimezone(UTC)
    nearest = nearest_open(schedule(), target, NOW, count=3)
    assert [s.local_start.strftime("%H:%M") for s in nearest] == ["11:30", "12:00", "12:30"]


def test_by_day_groups_by_pacific_date_even_when_utc_date_differs():
    hours = [
        Hours(1, day, time(16), time(18)) for day in range(5)
    ]  # 16:00 PST = 00:00 UTC next day
    groups = by_day(open_slots(schedule(hours=hours), NOW))
    first_day, slots = groups[0]
    assert all(s.local_start.date() == first_day for s in slots)
    assert {s.start.date() for s in slots} != {first_day}


# --- daylight-saving changes ----------------------------------------------------------------


def test_march_change_keeps_local_times_and_shifts_utc_by_an_hour():
    now = la(2026, 3, 5, 6)  # Thursday before 8 March 2026 (spring forward)
    slots = all_slots(schedule(rules=Rules(min_notice_hours=0)), now)
    friday = [s for s in slots if s.local_start.date() == date(2026, 3, 6)]
    monday = [s for s in slots if s.local_start.date() == date(2026, 3, 9)]
    assert [s.local_start.strftime("%H:%M") for s in friday] == [
        s.local_start.strftime("%H:%M") for s in monday
    ]
    assert friday[0].start.strftime("%H:%M") == "17:00"  # 09:00 PST
    assert monday[0].start.strftime("%H:%M") == "16:00"  # 09:00 PDT
    assert len(friday) == len(monday) == 16


def test_march_change_skips_wall_times_that_do_not_exist():
    night = [Hours(1, 6, time(1), time(4))]  # Sunday 01:00–04:00
    now = la(2026, 3, 7, 6)
    slots = all_slots(
        schedule(rules=Rules(min_notice_hours=0, buffer_minutes=10), hours=night), now
    )
    sunday = local_times(slots, date(2026, 3, 8))
    assert sunday == ["01:00", "01:30", "03:00", "03:30"]  # 02:00 and 02:30 never happen
    assert local_to_utc(date(2026, 3, 8), 2 * 60) is None
    starts = [s.start for s in slots]
    assert len(starts) == len(set(starts))


def test_november_change_gives_each_ambiguous_wall_time_once():
    night = [Hours(1, 6, time(0, 30), time(3))]  # Sunday 1 November 2026 falls back at 02:00
    now = la(2026, 10, 31, 6)
    slots = all_slots(schedule(rules=Rules(min_notice_hours=0), hours=night), now)
    sunday = [s for s in slots if s.local_start.date() == date(2026, 11, 1)]
    assert [s.local_start.strftime("%H:%M") for s in sunday] == [
        "00:30", "01:00", "01:30", "02:00", "02:30",
    ]  # fmt: skip
    one_am = sunday[1]
    assert one_am.start == datetime(2026, 11, 1, 8, 0, tzinfo=UTC)  # first 01:00 (PDT, fold=0)
    assert len({s.start for s in sunday}) == len(sunday)


def test_november_week_keeps_the_same_local_hours_every_day():
    now = la(2026, 10, 29, 6)
    slots = all_slots(schedule(rules=Rules(min_notice_hours=0)), now)
    friday = local_times(slots, date(2026, 10, 30))
    monday = local_times(slots, date(2026, 11, 2))
    assert friday == monday and len(friday) == 16
    first_monday = next(s for s in slots if s.local_start.date() == date(2026, 11, 2))
    assert first_monday.start.strftime("%H:%M") == "17:00"  # 09:00 PST


@settings(max_examples=150, deadline=None)
@given(
    call=st.sampled_from([15, 20, 45]),
    buffer=st.sampled_from([0, 10, 15]),
    cap=st.one_of(st.none(), st.integers(1, 4)),
    booked_minutes=st.lists(st.integers(0, 21 * 24 * 60), max_size=12),
    closed_day=st.one_of(st.none(), st.integers(0, 20)),
    now_offset=st.integers(0, 60 * 24 * 3),
    asked=st.lists(
        st.tuples(st.integers(0, 21), st.integers(0, 60), st.sampled_from([0, 0, 0, 5, -30])),
        min_size=1,
        max_size=8,
    ),
)
def test_checking_one_start_agrees_with_listing_its_whole_day(
    call, buffer, cap, booked_minutes, closed_day, now_offset, asked
):
    """`find_bookable` looks at one start only; it must answer as the day's full listing does,
    across buffers, caps, closures, bookings, the notice window and November's clock change."""
    rules = Rules(call_minutes=call, buffer_minutes=buffer, min_notice_hours=12, daily_cap=cap)
    start_of_weeks = la(2026, 10, 26)  # the clock falls back on Sunday 1 November
    now = (start_of_weeks + timedelta(minutes=now_offset)).astimezone(UTC)
    hours = weekdays(1, time(0, 30), time(23), range(7)) + weekdays(2, time(8), time(12))
    booked = [
        Booked(1 + minute % 2, start, start + timedelta(minutes=call))
        for minute in booked_minutes
        for start in [(start_of_weeks + timedelta(minutes=minute)).astimezone(UTC)]
    ]
    exceptions = (
        []
        if closed_day is None
        else [DatedException(None, date(2026, 10, 26) + timedelta(days=closed_day), "closed")]
    )
    plan = schedule(rules, hours, exceptions, booked, coordinators=(1, 2))
    for day_offset, step, jitter in asked:  # mostly times on the grid, some beside it
        minute = (30 + step * (call + buffer) + jitter) % (24 * 60)
        day = date(2026, 10, 26) + timedelta(days=day_offset)
        wall = datetime.combine(day, time()) + timedelta(minutes=minute)
        start = wall.replace(tzinfo=PRACTICE_TZ).astimezone(UTC)
        listed = next((s for s in open_slots(plan, now, only_day=day) if s.start == start), None)
        assert find_bookable(plan, start, now) == listed, (start, listed)
    # and every listed start is found as it is listed
    for slot in open_slots(plan, now, only_day=date(2026, 11, 1)):
        assert find_bookable(plan, slot.start, now) == slot
