"""The therapist directory in a real browser: filtering without JavaScript, and accessibility."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
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


def test_ticking_a_specialty_and_submitting_lists_only_matching_therapists(
    page, live_server, directory
):
    page.goto(live_server.url + "/therapists/")
    cards = page.locator(".therapist-card__name")
    expect(cards).to_have_count(3)

    page.get_by_label("Trauma").check()
    page.get_by_role("button", name="Show therapists").click()

    expect(page).to_have_url(re.compile(r"/therapists/\?.*specialty=trauma"))
    expect(cards).to_have_count(1)
    expect(cards).to_have_text(["Tam Demo"])
    expect(
        page.get_by_role("heading", level=2, name="1 therapist matches your filters")
    ).to_be_visible()
    expect(page.get_by_label("Trauma")).to_be_checked()

    page.get_by_role("link", name="Clear filters").click()
    expect(page).to_have_url(live_server.url + "/therapists/")
    expect(cards).to_have_count(3)


def test_the_filters_work_with_javascript_disabled(browser, live_server, directory):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/therapists/")
    page.get_by_label("Grief and loss").check()
    page.get_by_role("button", name="Show therapists").click()
    expect(page.locator(".therapist-card__name")).to_have_text(["Gale Demo"])
    context.close()


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
