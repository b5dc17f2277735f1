"""Slot times are in the practice's Pacific time; visitors elsewhere also see their own clock
time beside each (static/js/consultations.js), visitors on Pacific time see nothing more. A week
holds hundreds of times, so a day gets its visitor times when it nears the viewport or the
keyboard reaches it, not all at once on load."""

import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.browser.conftest import PHONE

DAYS = ".slot-day"
SLOT_RADIOS = ".slot-day__list input[type=radio]"  # each value is the slot's UTC start
VISITOR_TIME = ".slot__visitor-time"


def open_booking_page(browser, site, zone: str, later_week=False):
    """The booking page on a phone; `later_week` follows the "Later week" link to a whole week
    (this week may have a single day left)."""
    context = browser.new_context(**PHONE, timezone_id=zone)
    page = context.new_page()
    page.goto(site.base_url + "/consultation/")
    if later_week:
        page.get_by_role("link", name="Later week").click()
        page.wait_for_url("**week=*")
    expect(page.locator(SLOT_RADIOS).first).to_be_attached()
    return page


def tokyo_label(radio) -> str:
    instant = datetime.datetime.fromisoformat(radio.get_attribute("value"))
    tokyo = instant.astimezone(ZoneInfo("Asia/Tokyo"))
    return f" ({tokyo:%a} {tokyo.hour % 12 or 12}:{tokyo:%M %p} your time)"


def times_in(day) -> int:
    """Bookable and "call us" times of one day."""
    return day.locator("input[type=radio]").count() + day.locator("time[data-slot-time]").count()


def test_visitors_on_pacific_time_see_each_time_once(browser, production_site):
    page = open_booking_page(browser, production_site, "America/Los_Angeles", later_week=True)
    page.wait_for_load_state("load")
    page.locator(DAYS).last.scroll_into_view_if_needed()
    page.locator(SLOT_RADIOS).last.focus()
    expect(page.locator(VISITOR_TIME)).to_have_count(0)
    expect(page.locator("[data-visitor-tz]")).to_be_hidden()
    page.context.close()


def test_visitors_elsewhere_see_their_own_clock_time_beside_the_times_they_scroll_to(
    browser, production_site
):
    page = open_booking_page(browser, production_site, "Asia/Tokyo", later_week=True)
    expect(page.locator("[data-visitor-tz]")).to_contain_text("Japan Standard Time")
    days = page.locator(DAYS)
    assert days.count() >= 2

    first = days.first
    first.scroll_into_view_if_needed()
    radio = first.locator("input[type=radio]").first
    # Beside the first bookable time (times inside the notice window, "call us", come first).
    expect(first.locator("label .slot__visitor-time").first).to_have_text(tokyo_label(radio))
    expect(first.locator(VISITOR_TIME)).to_have_count(times_in(first))

    last = days.last
    expect(last.locator(VISITOR_TIME)).to_have_count(0)  # far below: not yet
    last.scroll_into_view_if_needed()
    expect(last.locator(VISITOR_TIME)).to_have_count(times_in(last))
    expect(last.locator("label .slot__visitor-time").last).to_have_text(
        tokyo_label(last.locator("input[type=radio]").last)
    )
    page.context.close()


def test_a_day_reached_by_keyboard_shows_the_visitor_times(browser, production_site):
    page = open_booking_page(browser, production_site, "Europe/Berlin", later_week=True)
    last = page.locator(DAYS).last
    expect(last.locator(VISITOR_TIME)).to_have_count(0)
    radio = last.locator("input[type=radio]").first
    radio.focus()
    expect(last.locator(VISITOR_TIME)).to_have_count(times_in(last))
    assert "your time" in radio.locator("xpath=..").inner_text()  # its label
    page.context.close()
