"""The site shell in a real browser: links people follow, and an accessibility check per page type."""

import pytest
from playwright.sync_api import expect

from kindman.factories import build_standard_page, set_privacy_page
from tests.browser.conftest import assert_accessible


def test_home_page_loads_and_its_privacy_link_leads_to_the_notice(page, live_server, site):
    set_privacy_page(build_standard_page(site, title="Privacy notice", slug="privacy"))
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Therapy that meets you where you are"
    )
    page.get_by_role("link", name="Privacy notice").click()
    expect(page).to_have_url(live_server.url + "/privacy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")


def test_skip_link_is_the_first_stop_for_keyboard_users(page, live_server, site):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Skip to main content")
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/#main")


@pytest.mark.parametrize("path", ["/", "/about/", "/no-such-page/"])
def test_page_types_have_no_serious_accessibility_problems(page, live_server, site, path):
    build_standard_page(site)
    assert_accessible(page, live_server.url + path)


def test_the_accessibility_check_itself_catches_a_serious_problem(page, live_server, site):
    page.goto(live_server.url + "/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')"
    )
    from axe_playwright_python.sync_playwright import Axe

    ids = {v["id"] for v in Axe().run(page).response["violations"]}
    assert "image-alt" in ids


@pytest.mark.parametrize("width", [768, 1024, 1280, 1366, 1440])
@pytest.mark.parametrize("path", ["/newsletter/", "/es/newsletter/"])
def test_on_a_tablet_or_laptop_every_header_link_is_clear_of_the_quick_exit_button(
    browser, live_server, site, width, path
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + path)
    hidden = page.evaluate(
        """() => {
        const exit = document.querySelector('.quick-exit__link').getBoundingClientRect();
        return [...document.querySelectorAll('.site-header a')].filter(link => {
            const box = link.getBoundingClientRect();
            if (!link.checkVisibility()) return false;  // in the closed menu
            const atCentre = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            return box.right > exit.left || !link.contains(atCentre) || link.scrollWidth > link.clientWidth + 1;
        }).map(link => link.textContent.trim());
    }"""
    )
    assert hidden == []
    expect(
        page.get_by_role("banner")
        .get_by_role("link", name="Search")
        .or_(page.get_by_role("banner").get_by_role("link", name="Buscar"))
    ).to_be_visible()
    context.close()
