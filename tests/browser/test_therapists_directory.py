"""The therapist directory in a real browser: filtering and paging without JavaScript, and
accessibility."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, filter_toggle_is_clear_of_the_quick_exit_bar
from therapists.factories import build_portrait, build_therapist


@pytest.fixture
def directory(site):
    build_therapist(
        slug="tam-demo",
        title="Tam Demo",
        specialties=["Trauma"],
        photo=build_portrait("Tam Demo"),
        photo_alt="Abstract portrait with the initials TD",
    )
    build_therapist(slug="cory-demo", title="Cory Demo", specialties=["Couples therapy"])
    build_therapist(slug="gale-demo", title="Gale Demo", specialties=["Grief and loss"])


def test_on_a_phone_the_filters_open_from_a_panel_and_each_shows_as_a_removable_chip(
    page, live_server, directory
):
    page.goto(live_server.url + "/therapists/")
    cards = page.locator(".therapist-card__name")
    expect(cards).to_have_count(3)
    # Closed on a phone, so the list of therapists is what a visitor sees first.
    expect(page.get_by_label("Trauma")).to_be_hidden()

    page.get_by_text("Filter therapists", exact=True).first.click()
    page.get_by_label("Trauma").check()
    page.get_by_label("Accepting new clients").check()
    page.get_by_role("button", name="Show therapists").click()

    expect(page).to_have_url(re.compile(r"/therapists/\?.*specialty=trauma"))
    expect(cards).to_have_text(["Tam Demo"])
    expect(
        page.get_by_role("heading", level=2, name="1 therapist matches your filters")
    ).to_be_in_viewport()
    assert filter_toggle_is_clear_of_the_quick_exit_bar(page)
    chips = page.get_by_role("list", name="Filtered by")
    expect(chips.get_by_role("link")).to_have_text(
        [re.compile("Trauma"), re.compile("Accepting new clients"), "Clear all"]
    )

    chips.get_by_role("link", name="Remove filter: Trauma").click()
    expect(page).not_to_have_url(re.compile("specialty="))
    expect(cards).to_have_count(3)  # every demo therapist accepts new clients
    expect(chips.get_by_role("link")).to_have_text([re.compile("Accepting"), "Clear all"])

    chips.get_by_role("link", name="Clear all").click()
    expect(page).to_have_url(live_server.url + "/therapists/#results-heading")
    expect(page.get_by_role("list", name="Filtered by")).to_have_count(0)


def test_on_a_desktop_the_filters_are_open_beside_the_results(browser, live_server, directory):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(live_server.url + "/therapists/")
    page.get_by_label("Trauma").check()
    page.get_by_role("button", name="Show therapists").click()
    expect(page.locator(".therapist-card__name")).to_have_text(["Tam Demo"])
    expect(page.get_by_label("Trauma")).to_be_checked()
    page.get_by_role("link", name="Clear filters").click()
    expect(page).to_have_url(live_server.url + "/therapists/#results-heading")
    context.close()


def test_the_filters_work_with_javascript_disabled(browser, live_server, directory):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/therapists/")
    page.get_by_label("Grief and loss").check()
    page.get_by_role("button", name="Show therapists").click()
    expect(page.locator(".therapist-card__name")).to_have_text(["Gale Demo"])
    context.close()


@pytest.fixture
def long_directory(site):
    """Fifteen therapists, ten of them accepting new clients: two pages, or one filtered."""
    for number in range(15):
        build_therapist(
            slug=f"demo-{number:02}",
            title=f"Demo {number:02}",
            specialties=["Trauma"],
            accepting_new_clients=number % 3 != 0,
        )


def test_the_next_page_keeps_the_filters_and_lands_on_the_results_without_javascript(
    browser, live_server, long_directory
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/therapists/")
    cards = page.locator(".therapist-card__name")
    expect(cards).to_have_count(12)
    pages = page.get_by_role("navigation", name="Pages of therapists")
    expect(pages.get_by_role("link", name="Page 1")).to_have_attribute("aria-current", "page")

    pages.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(live_server.url + "/therapists/?page=2#results-heading")
    expect(cards).to_have_text(["Demo 12", "Demo 13", "Demo 14"])
    expect(page.get_by_text("Showing 13 to 15, page 2 of 2")).to_be_in_viewport()

    page.get_by_label("Accepting new clients").check()
    page.get_by_role("button", name="Show therapists").click()
    expect(cards).to_have_count(10)  # all on one page: the filtered list starts again at 1
    expect(page.get_by_role("navigation", name="Pages of therapists")).to_have_count(0)
    context.close()


@pytest.mark.parametrize("path", ["/therapists/", "/therapists/?page=2"])
def test_pages_of_the_directory_have_no_serious_accessibility_problems(
    page, live_server, long_directory, path
):
    assert_accessible(page, live_server.url + path)


@pytest.mark.parametrize(
    "path",
    [
        "/therapists/",
        "/therapists/?specialty=nothing-matches&works_with=couples&accepting=on",
        "/therapists/tam-demo/",
    ],
)
def test_directory_and_profile_have_no_serious_accessibility_problems(
    page, live_server, directory, path
):
    assert_accessible(page, live_server.url + path)
