"""Slot times are in the practice's Pacific time; visitors elsewhere also see their own clock
time beside each (static/js/consultations.js), visitors on Pacific time see nothing more."""

import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.browser.conftest import PHONE

SLOT_RADIOS = ".slot-day__list input[type=radio]"  # each value is the slot's UTC start


def open_booking_page(browser, site, zone: str):
    context = browser.new_context(**PHONE, timezone_id=zone)
    page = context.new_page()
    page.goto(site.base_url + "/consultation/")
    expect(page.locator(SLOT_RADIOS).first).to_be_attached()
    return page


def test_visitors_on_pacific_time_see_each_time_once(browser, production_site):
    page = open_booking_page(browser, production_site, "America/Los_Angeles")
    page.wait_for_load_state("load")
    expect(page.locator(".slot__visitor-time")).to_have_count(0)
    expect(page.locator("[data-visitor-tz]")).to_be_hidden()
    page.context.close()


def test_visitors_elsewhere_see_their_own_clock_time_beside_each_slot(browser, production_site):
    page = open_booking_page(browser, production_site, "Asia/Tokyo")
    slot = page.locator(SLOT_RADIOS).first
    instant = datetime.datetime.fromisoformat(slot.get_attribute("value"))
    tokyo = instant.astimezone(ZoneInfo("Asia/Tokyo"))
    expected = f"({tokyo:%a} {tokyo.hour % 12 or 12}:{tokyo:%M %p} your time)"
    # Beside the first bookable time (times inside the notice window, "call us", come first).
    expect(page.locator(".slot-day__list label .slot__visitor-time").first).to_have_text(
        " " + expected
    )
    expect(page.locator("[data-visitor-tz]")).to_contain_text("Japan Standard Time")
    times = page.locator(SLOT_RADIOS).count() + page.locator("time[data-slot-time]").count()
    expect(page.locator(".slot__visitor-time")).to_have_count(times)
    page.context.close()
