"""Booking through the page: real HTTP via the test client, real PostgreSQL."""

import logging
import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consultations.calls.slots import slot_value
from consultations.factories import build_consultation
from consultations.models import Consultation
from kindman.models import EmailDelivery
from kindman.timezones import PRACTICE_TZ as PACIFIC
from tests.consultations.helpers import booking_data, open_values
from therapists.factories import build_therapist

BOOK = "/consultation/"


def test_booking_page_lists_slots_by_day_in_pacific_time(client, coordinator):
    response = client.get(BOOK)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Times shown in Pacific Time (Los Angeles)" in html
    assert html.count('name="slot"') > 10
    assert '<legend class="slot-day__legend">' in html
    assert "988" in html and "911" in html  # crisis line
    assert "Leave this site quickly" in html


def test_each_bookable_time_is_one_radio_in_its_label(client, coordinator):
    """A week holds hundreds of times; each is a label around its radio and nothing more (no
    list item, id or class), which keeps the page light for a phone to lay out."""
    html = client.get(BOOK).content.decode()
    radios = re.findall(
        r'<label><input type="radio" name="slot" value="[^"]+"[^>]*> [^<]+</label>', html
    )
    assert len(radios) == html.count('type="radio" name="slot"') > 10
    assert "<li><label><input" not in html


def test_booking_pages_are_private_and_never_stored(client, coordinator):
    response = client.get(BOOK)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"  # nothing leaves the site
    # The empty form can be found from a search engine; an answer to a POST, which repeats
    # what the visitor wrote, is never indexed.
    assert "X-Robots-Tag" not in response and "noindex" not in response.content.decode()
    assert '<meta name="description"' in response.content.decode()
    refused = client.post(BOOK, {"name": "Sam"})
    assert refused.status_code == 400
    assert "noindex" in refused["X-Robots-Tag"] and "noindex" in refused.content.decode()
    assert "no-store" in refused["Cache-Control"]


def test_slots_inside_notice_window_say_call_us(client, coordinator):
    html = client.get(BOOK).content.decode()
    assert "call us to book" in html


def test_booking_creates_a_call_and_redirects_to_a_private_confirmation(client, coordinator):
    slot = open_values(1)[0]
    response = client.post(BOOK, booking_data(slot))
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert response["Location"] == reverse("consultations:booked", args=[consultation.public_id])
    assert str(consultation.pk) not in response["Location"].split("/")
    assert "robin" not in response["Location"].lower()
    assert consultation.phone == "+13235550199"
    assert slot_value(consultation.starts_at) == slot
    assert consultation.ends_at - consultation.starts_at == timedelta(minutes=20)
    assert consultation.coordinator == coordinator
    assert consultation.consent_at is not None

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert b"988" in page.content
    assert b"Leave this site quickly" in page.content


def test_confirmation_page_shows_nothing_to_another_browser(client, coordinator):
    response = client.post(BOOK, booking_data(open_values(1)[0]))
    other = client.__class__()
    page = other.get(response["Location"])
    assert page.status_code == 404
    assert b"only in the browser that made the booking" in page.content


def test_therapist_query_preselects_preferred_therapist(client, coordinator):
    therapist = build_therapist(slug="maren-okafor", title="Maren Okafor")
    html = client.get(f"{BOOK}?therapist={therapist.pk}").content.decode()
    assert re.search(rf'<option value="{therapist.pk}" selected>', html)
    slot = open_values(1)[0]
    client.post(BOOK, booking_data(slot, preferred_therapist=str(therapist.pk)))
    assert Consultation.objects.get().preferred_therapist == therapist


def test_one_visitors_answers_and_errors_never_show_on_the_next_visitors_form(client, coordinator):
    therapist = build_therapist(slug="maren-okafor", title="Maren Okafor")
    slot = open_values(1)[0]
    data = booking_data(
        slot, phone="12", name="Kit", payment="self_pay", session_location="elsewhere"
    )
    data["preferred_therapist"] = str(therapist.pk)
    assert client.post(BOOK, data).status_code == 400
    html = client.__class__().get(BOOK).content.decode()
    assert "Kit" not in html and "Please check the phone number" not in html
    assert re.search(r'value="not_sure"[^>]*checked', html)
    assert re.search(r'value="california"[^>]*checked', html)
    assert not re.search(r'value="(self_pay|elsewhere)"[^>]*checked', html)
    assert f'<option value="{therapist.pk}">' in html  # listed, not chosen


@pytest.mark.parametrize(
    "query", ["?therapist=abc", "?therapist=99999999", "?therapist=", "?therapist=1%00"]
)
def test_malformed_therapist_query_never_breaks_the_page(client, coordinator, query):
    assert client.get(BOOK + query).status_code == 200


def test_validation_errors_are_shown_next_to_fields_with_input_kept(client, coordinator):
    slot = open_values(1)[0]
    response = client.post(BOOK, booking_data(slot, phone="12", consent=None, name="Kit"))
    html = response.content.decode()
    assert response.status_code == 400
    assert not Consultation.objects.exists()
    assert "Please check the phone number" in html
    assert "Please agree to the privacy notice" in html
    assert 'value="Kit"' in html
    assert "Secret-note-about-grief" in html
    assert f'value="{slot}" checked' in html


@pytest.mark.parametrize(
    "forged",
    [
        "2020-01-01T17:00:00Z",  # past
        "not-a-time",
        "2099-01-01T17:00:00Z",  # beyond the horizon
    ],
)
def test_forged_slot_values_are_refused(client, coordinator, forged):
    response = client.post(BOOK, booking_data(forged))
    assert response.status_code == 400
    assert not Consultation.objects.exists()
    assert b'id="slots-error"' in response.content


def test_off_grid_slot_is_refused(client, coordinator):
    from consultations.calls.slots import parse_slot_value

    start = parse_slot_value(open_values()[10]) + timedelta(minutes=7)
    response = client.post(BOOK, booking_data(slot_value(start)))
    assert response.status_code == 400
    assert not Consultation.objects.exists()


def test_slot_inside_notice_window_is_refused_with_call_us(client, coordinator):
    from consultations.calls.slots import all_slots, load_schedule

    now = timezone.now()
    soon = next(s for s in all_slots(load_schedule(now), now) if s.call_us)
    response = client.post(BOOK, booking_data(soon.value))
    assert response.status_code == 400
    assert b"too soon to book online" in response.content
    assert not Consultation.objects.exists()


def test_taken_slot_offers_nearest_open_times_and_keeps_answers(client, coordinator):
    slot = open_values(1)[0]
    client.post(BOOK, booking_data(slot, phone="+13235550111"))
    # a second visitor loaded the page before and submits the same time
    response = client.post(BOOK, booking_data(slot, name="Second Person"))
    html = response.content.decode()
    assert response.status_code == 409
    assert Consultation.objects.count() == 1
    assert "that time was just taken" in html
    assert html.count('class="slots__nearest"') == 1
    assert 'value="Second Person"' in html
    assert "Secret-note-about-grief" in html


def test_race_loss_inside_booking_says_just_taken_with_nearest(coordinator):
    from consultations.calls import actions as booking

    slot = open_values(1)[0]
    from consultations.calls.slots import parse_slot_value

    start = parse_slot_value(slot)
    booking.book(start=start, details=_details("+13235550120"))
    with pytest.raises(booking.SlotTaken) as taken:
        booking.book(start=start, details=_details("+13235550121"))
    assert taken.value.nearest and all(s.start != start for s in taken.value.nearest)


def _details(phone):
    return {"name": "T", "phone": phone, "email": "", "interest": "either", "state": "CA"}


def test_a_call_within_the_buffer_refuses_the_time_and_one_hours_away_does_not(coordinator):
    """Staff may put a call off the grid: a booking still keeps the 10-minute buffer from it."""
    from consultations.calls import actions as booking
    from consultations.calls.slots import parse_slot_value

    starts = [parse_slot_value(value) for value in open_values()]
    start = next(s for s in starts[len(starts) // 2 :] if s.astimezone(PACIFIC).hour == 14)
    build_consultation(
        coordinator=coordinator, starts_at=start - timedelta(hours=2), phone="+13235550131"
    )
    build_consultation(
        coordinator=coordinator, starts_at=start + timedelta(minutes=29), phone="+13235550132"
    )  # starts 9 minutes after the call would end: inside the buffer
    with pytest.raises(booking.SlotTaken):
        booking.book(start=start, details=_details("+13235550130"))
    _call, created = booking.book(
        start=start - timedelta(minutes=90), details=_details("+13235550135")
    )
    assert created  # 10 minutes after the call two hours before ends: just outside the buffer


def test_with_a_daily_cap_calls_hours_away_fill_the_day(coordinator):
    from consultations.calls import actions as booking
    from consultations.calls.slots import local_day, parse_slot_value
    from consultations.factories import build_rules

    build_rules(horizon_days=7, daily_cap=2)
    starts = [parse_slot_value(value) for value in open_values()]
    start = starts[len(starts) // 2]
    far = [s for s in starts if local_day(s) == local_day(start) and abs(s - start) > HOURS_2]
    build_consultation(coordinator=coordinator, starts_at=far[0], phone="+13235550133")
    build_consultation(coordinator=coordinator, starts_at=far[-1], phone="+13235550134")
    with pytest.raises(booking.SlotTaken):
        booking.book(start=start, details=_details("+13235550130"))


HOURS_2 = timedelta(hours=2)


def test_a_booking_goes_to_the_free_coordinator_with_the_fewest_active_calls_that_day(
    coordinator,
):
    """Both coordinators are free at the time booked. The one with fewer active calls on that
    local (Pacific) day answers it; cancelled calls, calls on other days and calls on the same
    UTC date but another local day do not count. A tie goes to the coordinator made first."""
    from consultations.calls import actions as booking
    from consultations.calls.slots import local_day, parse_slot_value
    from consultations.factories import build_coordinator
    from kindman.timezones import PRACTICE_TZ

    second = build_coordinator("Second Coordinator", weekdays=range(7), start=time(6), end=time(22))
    day = local_day(timezone.now()) + timedelta(days=3)

    def at(on, hour, minute=0):
        return datetime.combine(on, time(hour, minute), tzinfo=PRACTICE_TZ).astimezone(UTC)

    phones = iter(f"+1323555{number:04d}" for number in range(200, 300))

    def call(who, starts_at, **fields):
        build_consultation(coordinator=who, starts_at=starts_at, phone=next(phones), **fields)

    call(coordinator, at(day, 7))
    call(coordinator, at(day, 21))  # the next day in UTC, still this day in Los Angeles
    call(second, at(day, 8))
    for hour in (9, 10, 16):
        call(second, at(day, hour), status=Consultation.Status.CANCELLED)
    call(second, at(day + timedelta(days=1), 7))
    call(second, at(day - timedelta(days=1), 21))  # this day in UTC, the day before here
    starts = [parse_slot_value(value) for value in open_values()]
    noon, afternoon = (min(starts, key=lambda s: abs(s - at(day, hour))) for hour in (12, 14))
    assert noon == at(day, 12) and afternoon == at(day, 14)

    first, _ = booking.book(start=noon, details=_details("+13235550140"))
    assert first.coordinator_id == second.pk  # 1 call that day against 2
    tied, _ = booking.book(start=afternoon, details=_details("+13235550141"))
    assert tied.coordinator_id == coordinator.pk  # 2 each: the first made


def test_same_idempotency_key_twice_makes_one_booking(client, coordinator):
    data = booking_data(open_values(1)[0])
    first = client.post(BOOK, data)
    second = client.post(BOOK, data)
    assert Consultation.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_phone_may_book_again_after_cancelling(client, coordinator):
    from consultations.calls import actions as booking

    client.post(BOOK, booking_data(open_values(1)[0]))
    booking.cancel(Consultation.objects.get())
    client.post(BOOK, booking_data(open_values()[3]))
    assert Consultation.objects.active().count() == 1


def test_someone_outside_california_is_told_kindly_not_blocked(client, coordinator):
    data = booking_data(open_values(1)[0], session_location="elsewhere")
    response = client.post(BOOK, data, follow=True)
    assert Consultation.objects.get().session_location == "elsewhere"
    assert b"sorry we can't be your therapists from where you are" in response.content


def test_no_email_booking_offers_ics_download(client, coordinator):
    from icalendar import Calendar

    response = client.post(BOOK, booking_data(open_values(1)[0], email=""), follow=True)
    consultation = Consultation.objects.get()
    invite_url = reverse("consultations:booked_invite", args=[consultation.public_id])
    assert invite_url.encode() in response.content
    download = client.get(invite_url)
    assert download["Content-Type"].startswith("text/calendar")
    assert "no-store" in download["Cache-Control"]
    event = Calendar.from_ical(download.content).walk("VEVENT")[0]
    assert str(event["UID"]) == str(consultation.public_id)
    assert event.decoded("DTSTART") == consultation.starts_at
    assert "Secret-note" not in download.content.decode()
    assert not [m for m in mail.outbox if "robin" in " ".join(m.to)]


def test_honeypot_filled_refuses_without_booking(client, coordinator):
    response = client.post(BOOK, booking_data(open_values(1)[0], website="http://spam.example"))
    assert response.status_code == 400
    assert not Consultation.objects.exists()


def test_rate_limit_answers_a_friendly_429_after_too_many_posts(client, coordinator, settings):
    settings.CONSULTATION_RATE_LIMIT = (3, 600)
    for _ in range(3):
        assert client.post(BOOK, booking_data("bad")).status_code == 400
    response = client.post(BOOK, booking_data(open_values(1)[0]))
    assert response.status_code == 429
    assert b"Please wait a moment" in response.content
    assert b"988" in response.content
    assert "no-store" in response["Cache-Control"]
    assert not Consultation.objects.exists()


def test_rate_limit_is_per_address(client, coordinator, settings):
    settings.CONSULTATION_RATE_LIMIT = (1, 600)
    client.post(BOOK, booking_data("bad"), REMOTE_ADDR="10.0.0.1")
    assert client.post(BOOK, booking_data("bad"), REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.post(BOOK, booking_data("bad"), REMOTE_ADDR="10.0.0.2").status_code == 400


def test_rate_limit_count_lives_in_postgresql_without_the_address(client, coordinator, settings):
    from kindman.models import RateLimitCount

    settings.CONSULTATION_RATE_LIMIT = (5, 600)
    client.post(BOOK, booking_data("bad"))
    client.post(BOOK, booking_data("bad"))
    [count] = RateLimitCount.objects.all()
    assert count.hits == 2  # shared by every app server, counted up atomically
    assert "127.0.0.1" not in count.key


def test_rate_limit_counts_write_no_wal_so_counting_waits_for_no_disk_flush(db):
    from django.db import connection

    from kindman.models import RateLimitCount

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpersistence FROM pg_class WHERE relname = %s",
            [RateLimitCount._meta.db_table],
        )
        assert cursor.fetchone() == ("u",)  # UNLOGGED: emptied by a crash, never replicated


def test_purge_forgets_rate_limit_counts_of_past_windows(client, coordinator, settings):
    from datetime import timedelta

    from consultations.management.commands.purge_personal_data import purge
    from kindman.models import RateLimitCount

    client.post(BOOK, booking_data("bad"))
    purge(days=90)
    assert RateLimitCount.objects.count() == 1  # its window is not over yet
    purge(days=90, now=timezone.now() + timedelta(hours=1))
    assert not RateLimitCount.objects.exists()


def test_booking_logs_hold_no_personal_data(client, coordinator, caplog):
    caplog.set_level(logging.DEBUG)
    client.post(BOOK, booking_data(open_values(1)[0]))
    client.post(BOOK, booking_data(open_values()[4]))  # the same phone again
    client.post(BOOK, booking_data("bad", phone="x"))
    assert Consultation.objects.count() == 2
    logged = caplog.text
    assert "consultation booked" in logged
    for secret in ["Robin", "robin@example.com", "555-0199", "5550199", "Secret-note", "evenings"]:
        assert secret not in logged


def test_booking_queues_confirmation_staff_notification_and_reminder(client, coordinator):
    client.post(BOOK, booking_data(open_values()[-1]))
    kinds = set(EmailDelivery.objects.values_list("kind", flat=True))
    assert kinds == {"consultation_confirmation", "consultation_staff_new", "consultation_reminder"}


def test_existing_booking_elsewhere_blocks_the_slot_for_a_single_coordinator(client, coordinator):
    slot = open_values(1)[0]
    from consultations.calls.slots import parse_slot_value

    build_consultation(
        coordinator=coordinator, starts_at=parse_slot_value(slot), phone="+13235550150"
    )
    assert slot not in open_values()


def test_booking_page_query_count_does_not_grow_with_bookings(
    client, coordinator, django_assert_max_num_queries
):
    from consultations.calls.slots import parse_slot_value

    client.get(BOOK)
    with django_assert_max_num_queries(30) as few:
        client.get(BOOK)
    for index, value in enumerate(open_values()[:40:2]):
        build_consultation(
            coordinator=coordinator,
            starts_at=parse_slot_value(value),
            phone=f"+132355502{index:02d}",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(BOOK)
