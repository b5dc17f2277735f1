"""The home page's one call to action leads to booking, on a phone, and is axe-clean."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_consultation_booking import bookable  # noqa: F401  (a fixture)


def test_home_page_button_leads_to_booking_a_call(page, live_server, bookable):  # noqa: F811
    assert_accessible(page, live_server.url + "/")
    page.get_by_role("link", name="Book a free 20-minute call").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Book a free 20-minute call")
    expect(page.locator("input[name=slot]").first).to_be_attached()
