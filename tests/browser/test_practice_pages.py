"""The practice pages in a real browser: axe-clean, and the fees estimator used with the keyboard
and no JavaScript."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.kindman.test_practice_pages import PAGES


@pytest.fixture
def practice_pages(site):
    call_command("seed_practice_pages", verbosity=0)


def test_every_practice_page_has_no_serious_accessibility_problems(
    page, live_server, practice_pages
):
    for path in [*PAGES, "/accessibility/report/"]:
        assert_accessible(page, live_server.url + path)


def test_the_fees_estimator_works_by_keyboard_without_javascript(
    browser, live_server, practice_pages
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/fees/")
    page.get_by_label("Session fee ($)").fill("200")
    page.get_by_label("Share your plan reimburses out of network (%)").fill("60")
    page.get_by_label("Out-of-network deductible left this year ($)").fill("300")
    page.get_by_label("Number of sessions").fill("4")
    page.get_by_label("Number of sessions").press("Enter")
    expect(page.get_by_role("heading", name="Your estimate for 4 sessions")).to_be_visible()
    # The deductible takes the first session and half the second: 60% back of 100 + 2 × 200.
    expect(page.locator(".estimate")).to_contain_text("$500.00")
    expect(page.locator(".estimate")).to_contain_text("The first session would go towards")
    context.close()
