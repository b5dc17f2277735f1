"""The quick exit on every page (click and Shift three times, leaving no way Back) and the error
summary that takes focus when a public form comes back with problems."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_consultation_booking import bookable  # noqa: F401  (a fixture)

EXIT = "https://www.weather.gov/"


@pytest.fixture
def offline_exit(page):
    """The exit page stands in for the real one: the test machine has no internet."""
    page.route(
        EXIT + "**",
        lambda route: route.fulfill(
            content_type="text/html", body="<title>Weather</title><h1>Weather</h1>"
        ),
    )
    return page


@pytest.mark.parametrize("path", ["/", "/consultation/"])
def test_quick_exit_link_leaves_and_back_does_not_return(offline_exit, live_server, bookable, path):  # noqa: F811
    page = offline_exit
    page.goto(live_server.url + "/info-sessions/")
    page.goto(live_server.url + path)
    page.get_by_role("link", name="Leave this site quickly").click()
    expect(page).to_have_url(EXIT)
    page.go_back()
    # The page the visitor left was replaced in history, so Back skips it.
    expect(page).to_have_url(live_server.url + "/info-sessions/")


def test_pressing_shift_three_times_leaves_the_site(offline_exit, live_server, bookable):  # noqa: F811
    page = offline_exit
    page.goto(live_server.url + "/consultation/")
    page.locator("input[name=name]").focus()
    page.keyboard.type("Kit")  # a capital letter typed with Shift does not count
    for _ in range(3):
        page.keyboard.press("Shift")
    expect(page).to_have_url(EXIT)


def test_shift_pressed_twice_stays(offline_exit, live_server, bookable):  # noqa: F811
    page = offline_exit
    page.goto(live_server.url + "/consultation/")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    expect(page).to_have_url(re.compile(r"/consultation/$"))


@pytest.mark.parametrize("javascript", [True, False])
def test_error_summary_takes_focus_and_links_to_each_field(
    browser,
    live_server,
    bookable,  # noqa: F811
    javascript,
):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(live_server.url + "/consultation/")
    page.get_by_role("button", name="Book my call").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    slot_link = summary.get_by_role("link", name="Please choose a time for the call.")
    expect(slot_link).to_have_attribute("href", "#id_slot")
    expect(
        summary.get_by_role("link", name=re.compile("agree to the privacy notice"))
    ).to_be_visible()
    if javascript:
        slot_link.click()
        expect(page.locator("input[name=slot]").first).to_be_focused()
    context.close()


def test_session_registration_errors_are_summarised(page, live_server, bookable):  # noqa: F811
    from consultations.factories import build_info_session

    session = build_info_session()
    page.goto(live_server.url + f"/info-sessions/{session.slug}/")
    page.get_by_role("button", name=re.compile("Save my seat|Join the waitlist")).click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    first = summary.get_by_role("link").first
    href = first.get_attribute("href")
    first.click()
    expect(page.locator(href)).to_be_focused()
