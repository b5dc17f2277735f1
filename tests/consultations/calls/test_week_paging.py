"""The booking page shows one week of times at a time, with plain links to the weeks before and
after within the horizon; answers and the chosen week survive an error."""

import re
from datetime import date, time, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from consultations.calls.forms import SLOT_REFUSALS
from consultations.calls.slots import local_day, parse_slot_value, week_start
from consultations.factories import build_consultation, build_coordinator, build_rules
from consultations.models import Consultation
from kindman.timezones import PRACTICE_TZ
from tests.consultations.helpers import booking_data, open_values
from therapists.factories import build_therapist

BOOK = "/consultation/"


@pytest.fixture
def weeks(home_page):
    """Three weeks and more of bookable times (no notice), every day 09:00–17:00."""
    build_rules(horizon_days=21, min_notice_hours=0)
    return build_coordinator("Paging Coordinator", weekdays=range(7), start=time(9), end=time(17))


def shown_values(html: str) -> list[str]:
    return re.findall(r'name="slot" value="([^"]+)"', html)


def shown_days(html: str) -> set[date]:
    return {local_day(parse_slot_value(value)) for value in shown_values(html)}


def week_link(html: str, rel: str) -> str | None:
    match = re.search(rf'href="([^"]+)" rel="{rel}"', html)
    return unescape(match.group(1)) if match else None


def linked_week(url: str) -> date:
    return date.fromisoformat(parse_qs(urlsplit(url).query)["week"][0])


def first_open_week() -> date:
    return week_start(local_day(parse_slot_value(open_values()[0])))


def last_horizon_week() -> date:
    return week_start(local_day(timezone.now() + timedelta(days=21)))


def test_first_week_with_open_times_is_shown_with_only_a_later_week_link(client, weeks):
    html = client.get(BOOK).content.decode()
    monday = first_open_week()
    days = shown_days(html)
    assert days and all(monday <= day <= monday + timedelta(days=6) for day in days)
    assert week_link(html, "prev") is None or linked_week(week_link(html, "prev")) < monday
    assert linked_week(week_link(html, "next")) == monday + timedelta(days=7)
    assert "Later week" in html


def test_later_and_earlier_links_walk_the_weeks_and_keep_the_query(client, weeks):
    therapist = build_therapist(slug="maren-okafor", title="Maren Okafor")
    first = client.get(f"{BOOK}?therapist={therapist.pk}&utm_source=leaflet").content.decode()
    later_url = week_link(first, "next")
    assert f"therapist={therapist.pk}" in later_url and "utm_source=leaflet" in later_url

    later = client.get(later_url).content.decode()
    monday = linked_week(later_url)
    assert shown_days(later) and all(
        monday <= day <= monday + timedelta(days=6) for day in shown_days(later)
    )
    assert not set(shown_values(later)) & set(shown_values(first))
    assert re.search(rf'<option value="{therapist.pk}" selected>', later)  # still preselected
    earlier_url = week_link(later, "prev")
    assert linked_week(earlier_url) == monday - timedelta(days=7)
    assert f"therapist={therapist.pk}" in earlier_url
    assert shown_values(client.get(earlier_url).content.decode())[-1] in shown_values(first)


def test_last_week_at_the_horizon_has_no_later_link(client, weeks):
    url = BOOK
    for _ in range(6):
        html = client.get(url).content.decode()
        if not week_link(html, "next"):
            break
        url = week_link(html, "next")
    assert linked_week(url) == last_horizon_week()
    horizon_end = timezone.now() + timedelta(days=21)
    assert all(parse_slot_value(value) < horizon_end for value in shown_values(html))
    assert week_link(html, "prev")


def test_a_time_in_a_later_week_is_bookable(client, weeks):
    later_url = week_link(client.get(BOOK).content.decode(), "next")
    slot = shown_values(client.get(later_url).content.decode())[5]
    response = client.post(later_url, booking_data(slot))
    assert response.status_code == 302
    assert Consultation.objects.get().starts_at == parse_slot_value(slot)


@pytest.mark.parametrize(
    "week",
    ["abc", "2026-13-45", "2026-02-30", "0000-00-00", "", "2026-12-07\x00", "1" * 500, "-1"],
)
def test_malformed_week_shows_the_first_week(client, weeks, week):
    response = client.get(BOOK, {"week": week})
    assert response.status_code == 200
    assert shown_values(response.content.decode())[:3] == open_values(3)


def test_weeks_outside_the_horizon_show_its_first_or_last_week(client, weeks):
    past = client.get(BOOK, {"week": "2001-01-01"}).content.decode()
    assert shown_values(past)[:3] == open_values(3)
    future = client.get(BOOK, {"week": "9999-12-31"}).content.decode()
    assert {week_start(day) for day in shown_days(future)} == {last_horizon_week()}
    assert week_link(future, "next") is None


def test_any_day_of_a_week_shows_that_week(client, weeks):
    monday = first_open_week() + timedelta(days=7)
    wednesday = client.get(BOOK, {"week": str(monday + timedelta(days=2))}).content.decode()
    assert shown_values(wednesday) == shown_values(
        client.get(BOOK, {"week": str(monday)}).content.decode()
    )


def test_validation_error_keeps_answers_and_shows_the_week_of_the_chosen_time(client, weeks):
    later_url = week_link(client.get(BOOK).content.decode(), "next")
    slot = shown_values(client.get(later_url).content.decode())[7]
    response = client.post(BOOK, booking_data(slot, phone="12", name="Kit"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Please check the phone number" in html
    assert 'value="Kit"' in html and "Secret-note-about-grief" in html
    assert f'value="{slot}" checked' in html
    assert week_start(local_day(parse_slot_value(slot))) == linked_week(later_url)


def test_taken_time_in_a_later_week_shows_that_week_with_the_nearest_times(client, weeks):
    later_url = week_link(client.get(BOOK).content.decode(), "next")
    slot = shown_values(client.get(later_url).content.decode())[10]
    build_consultation(coordinator=weeks, starts_at=parse_slot_value(slot), phone="+13235550150")
    response = client.post(later_url, booking_data(slot, name="Second Person"))
    html = response.content.decode()
    assert response.status_code == 409
    assert "that time was just taken" in html
    assert 'value="Second Person"' in html
    offered = html.split('<ul class="slots__nearest">', 1)[1].split("</ul>", 1)[0]
    nearest = re.findall(r'<li><a href="#([^"]+)">', offered)
    assert len(nearest) == 3
    for anchor in nearest:  # every offered time is on the page to pick
        assert f'id="{anchor}"' in html
    assert slot not in shown_values(html)


def test_times_too_soon_to_book_still_say_call_us_in_the_first_week(client, coordinator):
    html = client.get(BOOK).content.decode()
    assert "call us to book" in html


def test_no_open_times_at_all_says_call_us(client, home_page):
    build_rules(horizon_days=7)
    html = client.get(BOOK).content.decode()
    assert "There are no open times in the coming weeks" in html
    assert week_link(html, "next") is None  # every week was looked through


def test_a_week_without_open_times_offers_a_later_week_and_the_phone(client, weeks):
    from consultations.models import AvailabilityException

    monday = first_open_week() + timedelta(days=7)
    for offset in range(7):
        AvailabilityException.objects.create(date=monday + timedelta(days=offset), kind="closed")
    html = client.get(BOOK, {"week": str(monday)}).content.decode()
    assert "There are no open times in these days. Try a" in html
    assert not shown_values(html)
    assert linked_week(week_link(html, "next")) == monday + timedelta(days=7)


def test_booking_page_queries_do_not_grow_with_bookings(
    client, weeks, django_assert_max_num_queries
):
    client.get(BOOK)  # the first visit creates the practice settings
    with django_assert_max_num_queries(GET_QUERIES) as few:
        client.get(BOOK)
    for index, value in enumerate(open_values()[:200:2]):
        build_consultation(
            coordinator=weeks, starts_at=parse_slot_value(value), phone=f"+13235552{index:03d}"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(BOOK)
    assert response.status_code == 200


def test_therapist_list_follows_publishing_at_once(client, weeks):
    first = build_therapist(slug="maren-okafor", title="Maren Okafor")
    assert "Maren Okafor" in client.get(BOOK).content.decode()
    second = build_therapist(slug="jonah-vey", title="Jonah Vey")
    assert "Jonah Vey" in client.get(BOOK).content.decode()  # not the remembered list
    first.unpublish()
    html = client.get(BOOK).content.decode()
    assert "Maren Okafor" not in html and "Jonah Vey" in html
    assert second.live


def test_a_booking_post_makes_a_bounded_number_of_queries(
    client, weeks, settings, django_assert_max_num_queries
):
    # as in production: the emails are queued in the database, not sent inside the request
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    slots = open_values()
    with django_assert_max_num_queries(POST_QUERIES) as few:
        data = booking_data(slots[0], email="")
        assert client.__class__().post(BOOK, data).status_code == 302
    for index, value in enumerate(slots[60:160]):
        build_consultation(
            coordinator=weeks, starts_at=parse_slot_value(value), phone=f"+13235553{index:03d}"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        data = booking_data(slots[40], email="", phone="+13235550100")
        assert client.__class__().post(BOOK, data).status_code == 302
    # with an email: the confirmation and the reminder, and their tasks
    with django_assert_max_num_queries(len(few.captured_queries) + 4):
        data = booking_data(slots[42], phone="+13235550101")
        assert client.__class__().post(BOOK, data).status_code == 302
    assert Consultation.objects.filter(name="Robin Testperson").count() == 3


# Generous bounds: what matters is that they stay flat as bookings grow.
GET_QUERIES = 15
POST_QUERIES = 25


def test_manage_page_pages_by_week_and_moves_a_call_to_a_later_week(client, weeks):
    from django.urls import reverse

    from consultations.calls import actions as booking

    details = {"name": "Robin", "phone": "+13235550199", "email": "", "interest": "either"}
    consultation, _ = booking.book(start=parse_slot_value(open_values()[0]), details=details)
    url = reverse("consultations:manage", args=[consultation.manage_token])
    later_url = week_link(client.get(url).content.decode(), "next")
    assert later_url.startswith(url + "?week=")
    slot = shown_values(client.get(later_url).content.decode())[3]
    response = client.post(later_url, {"action": "reschedule", "slot": slot})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.starts_at == parse_slot_value(slot)


def test_staff_changes_to_the_schedule_show_at_the_next_request(client, weeks):
    """Each change to the rules, hours, exceptions and coordinators, saved as the admin saves it,
    is used by the very next page and booking."""
    from consultations.models import AvailabilityException, BookingRules, WeeklyHours

    html = client.get(BOOK).content.decode()
    day = min(shown_days(html))
    week = f"{BOOK}?week={week_start(day).isoformat()}"
    on_day = next(v for v in shown_values(html) if local_day(parse_slot_value(v)) == day)

    AvailabilityException.objects.create(coordinator=None, date=day, kind="closed")
    assert day not in shown_days(client.get(week).content.decode())
    refused = client.post(BOOK, booking_data(on_day))
    assert refused.status_code == 400
    assert str(SLOT_REFUSALS["unavailable"]) in unescape(refused.content.decode())

    for hours in WeeklyHours.objects.filter(coordinator=weeks):
        hours.end_time = time(10)
        hours.save()
    far = f"{BOOK}?week={last_horizon_week().isoformat()}"
    values = shown_values(client.get(far).content.decode())
    starts = [parse_slot_value(value).astimezone(PRACTICE_TZ) for value in values]
    assert starts and all(start.time() < time(10) for start in starts)

    rules = BookingRules.load()
    rules.horizon_days = 7
    rules.save()
    last_day = local_day(timezone.now() + timedelta(days=7))
    assert max(shown_days(client.get(far).content.decode())) <= last_day

    weeks.active = False
    weeks.save()
    assert shown_values(client.get(BOOK).content.decode()) == []
