"""Booking the free call end to end in a real browser, keyboard only, plus axe on each page."""

from datetime import time

import pytest
from playwright.sync_api import expect

from consultations.factories import build_coordinator, build_rules
from consultations.models import Consultation, GoodFaithEstimate
from kindman.factories import build_standard_page, set_privacy_page
from tests.browser.conftest import assert_accessible


@pytest.fixture
def bookable(site):
    set_privacy_page(build_standard_page(site, title="Privacy notice", slug="privacy"))
    build_rules(horizon_days=7)
    return build_coordinator("Browser Coordinator", weekdays=range(7), start=time(6), end=time(22))


def tab_to(page, selector: str, limit: int = 200) -> int:
    """Press Tab until the focused element matches `selector`; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return presses
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize("width", [390, 1366])
def test_the_first_bookable_time_is_a_few_key_presses_from_the_top(
    browser, live_server, bookable, width
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/consultation/")
    # Through the header: the quick exit, the logo, the language, search and the menu first.
    assert tab_to(page, "input[name=slot]") <= 12
    first_time = page.locator("input[name=slot]").first
    expect(first_time).to_be_focused()  # the next open time, not one inside the notice window
    label = first_time.locator("xpath=..").bounding_box()  # the time's own label
    assert label["width"] >= 44 and label["height"] >= 44  # WCAG 2.2 target size

    # With the skip link: Tab, Enter, then past the intro's phone link and the week's links.
    page.goto(live_server.url + "/consultation/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert tab_to(page, "input[name=slot]") <= 4
    context.close()


def test_booking_a_call_with_the_keyboard_only(page, live_server, bookable):
    page.goto(live_server.url + "/consultation/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Book a free 20-minute call")
    expect(page.get_by_text("Times shown in Pacific Time (Los Angeles)")).to_be_visible()

    tab_to(page, "input[name=slot]")
    page.keyboard.press("ArrowRight")  # moves to, and selects, the next open time
    page.keyboard.press("Space")
    chosen = page.evaluate("document.activeElement.value")
    assert page.evaluate("document.activeElement.checked")

    tab_to(page, "input[name=name]")
    page.keyboard.type("Kit (browser test)")
    tab_to(page, "input[name=phone]")
    page.keyboard.type("(323) 555-0188")
    tab_to(page, "input[name=may_leave_voicemail]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=email]")
    page.keyboard.type("kit@example.com")
    tab_to(page, "input[name=discreet]")
    page.keyboard.press("Space")
    tab_to(page, "textarea[name=note]")
    page.keyboard.type("Looking for someone who works with grief.")
    tab_to(page, "input[name=consent]")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your call is booked")
    assert "/consultation/booked/" in page.url
    assert "kit" not in page.url.lower()
    expect(page.get_by_role("heading", name="Need help right now?")).to_be_visible()
    consultation = Consultation.objects.get()
    assert consultation.phone == "+13235550188"
    assert consultation.discreet and consultation.may_leave_voicemail
    assert consultation.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ") == chosen

    assert_accessible(page, page.url)
    assert_accessible(page, live_server.url + f"/consultation/manage/{consultation.manage_token}/")


def test_booking_page_has_no_serious_accessibility_problems(page, live_server, bookable):
    assert_accessible(page, live_server.url + "/consultation/")


def test_booking_page_with_errors_has_no_serious_accessibility_problems(
    page, live_server, bookable
):
    page.goto(live_server.url + "/consultation/")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#slots-error")).to_contain_text("Please choose a time for the call.")
    from axe_playwright_python.sync_playwright import Axe

    serious = [
        v for v in Axe().run(page).response["violations"] if v["impact"] in {"serious", "critical"}
    ]
    assert not serious, serious


def test_leave_quickly_works_without_javascript(browser, live_server, bookable):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/consultation/")
    link = page.get_by_role("link", name="Leave this site quickly")
    assert link.get_attribute("href").startswith("https://")
    assert "noreferrer" in link.get_attribute("rel")
    expect(page.locator("input[name=slot]").first).to_be_visible()
    context.close()


def test_visitors_elsewhere_also_see_their_own_time(browser, live_server, bookable):
    context = browser.new_context(timezone_id="Europe/London")
    page = context.new_page()
    page.goto(live_server.url + "/consultation/")
    expect(page.locator(".slot__visitor-time").first).to_contain_text("your time")
    expect(page.get_by_text("Times shown in Pacific Time (Los Angeles)")).to_be_visible()
    context.close()


def test_paying_and_where_you_will_be_with_the_keyboard_only(page, live_server, bookable):
    page.goto(live_server.url + "/consultation/")
    estimate_box = page.locator("input[name=wants_estimate]")
    outside_note = page.locator("#outside-california")
    expect(estimate_box).to_be_visible()  # "Not sure yet" is chosen to start with
    expect(outside_note).to_be_hidden()

    tab_to(page, "input[name=slot]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=name]")
    page.keyboard.type("Ash (browser test)")
    tab_to(page, "input[name=phone]")
    page.keyboard.type("(323) 555-0199")
    tab_to(page, "input[name=payment]")
    page.keyboard.press("ArrowUp")  # "Paying myself"
    page.keyboard.press("ArrowUp")  # "With insurance": the estimate is not for them
    expect(estimate_box).to_be_hidden()
    page.keyboard.press("ArrowDown")  # back to "Paying myself"
    expect(estimate_box).to_be_visible()
    tab_to(page, "input[name=wants_estimate]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=session_location]")
    page.keyboard.press("ArrowDown")  # "Somewhere else"
    expect(outside_note).to_be_visible()
    expect(outside_note).to_contain_text("only while you're in California")
    assert_no_serious_problems(page)
    tab_to(page, "input[name=consent]")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your call is booked")
    expect(page.get_by_text("You asked for a Good Faith Estimate")).to_be_visible()
    consultation = Consultation.objects.get()
    assert consultation.payment == "self_pay" and consultation.session_location == "elsewhere"
    assert consultation.good_faith_estimate.sent_at is None


def test_the_extra_questions_work_without_javascript(browser, live_server, bookable):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/consultation/")
    page.locator("input[name=slot]").first.check()
    page.locator("input[name=name]").fill("Noor (no script)")
    page.locator("input[name=phone]").fill("(323) 555-0177")
    page.get_by_label("With insurance").check()
    # Without script the box stays; its label says when it applies.
    page.locator("input[name=wants_estimate]").check()
    page.get_by_label("Somewhere else").check()
    page.locator("input[name=consent]").check()
    page.locator("button[type=submit]").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your call is booked")
    expect(page.get_by_text("sorry we can't be your therapists")).to_be_visible()
    consultation = Consultation.objects.get()
    assert consultation.payment == "insurance"
    assert not GoodFaithEstimate.objects.exists()
    context.close()


def assert_no_serious_problems(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    serious = [
        v for v in Axe().run(page).response["violations"] if v["impact"] in {"serious", "critical"}
    ]
    assert not serious, serious
