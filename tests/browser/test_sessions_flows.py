"""Information sessions and the coordinator's workspace in a real browser, with axe on each of
our pages (admin pages: the content area, which is ours; Wagtail's own chrome is Wagtail's)."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, Permission, User
from django.db.models import Q
from playwright.sync_api import expect

from consultations.factories import build_consultation, build_coordinator, build_info_session
from consultations.models import Consultation, SessionRegistration
from kindman.factories import build_standard_page, set_privacy_page
from tests.browser.conftest import assert_accessible
from therapists.factories import build_therapist


def assert_admin_content_accessible(page) -> None:
    results = Axe().run(page, context="main")
    serious = [
        v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
    ]
    assert not serious, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


@pytest.fixture
def session_page(site):
    set_privacy_page(build_standard_page(site, title="Privacy notice", slug="privacy"))
    return build_info_session(capacity=1)


def test_registering_for_a_session_end_to_end(page, live_server, session_page):
    assert_accessible(page, live_server.url + "/info-sessions/")
    expect(page.get_by_text("1 of 1 seat left")).to_be_visible()
    page.get_by_role("link", name=session_page.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(session_page.title)
    assert_accessible(page, page.url)

    page.get_by_label("What name would you like us to use?").fill("Sol (browser test)")
    page.locator("input[name=email]").fill("sol@example.com")
    page.get_by_label("Pronouns (optional)").fill("they/them")
    page.get_by_label("Keep it discreet").check()
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Save my seat").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("We'll email you the details")
    assert "sol" not in page.url.lower()
    registration = SessionRegistration.objects.get()
    assert registration.status == "registered" and registration.discreet
    assert_accessible(page, page.url)

    # The session is now full: the next person joins the waitlist.
    page.goto(live_server.url + f"/info-sessions/{session_page.slug}/")
    expect(page.get_by_role("button", name="Join the waitlist")).to_be_visible()

    manage = live_server.url + f"/info-sessions/manage/{registration.manage_token}/"
    assert_accessible(page, manage)
    page.get_by_role("link", name="Cancel my place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your place?")
    assert_accessible(page, page.url)
    page.get_by_role("button", name="Yes, cancel my place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your place is cancelled")
    assert_accessible(page, page.url)
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_registration_form_errors_are_accessible(page, live_server, session_page):
    page.goto(live_server.url + f"/info-sessions/{session_page.slug}/")
    page.get_by_role("button", name="Save my seat").click()
    expect(page.locator("#id_consent_error")).to_contain_text("Please agree to the privacy notice")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert not serious, serious


def test_coordinator_marks_a_call_completed_with_a_matched_therapist(page, live_server, site):
    coordinator = build_coordinator("Browser Coordinator")
    starts_at = (build_info_session(slug="agenda-session").starts_at - timedelta(days=6)).replace(
        minute=0
    )
    call = build_consultation(
        coordinator=coordinator,
        starts_at=starts_at,
        name="Quinn (browser test)",
        phone="+13235550177",
        may_text=True,
        discreet=True,
    )
    therapist = build_therapist(slug="priya-castellanos", title="Priya Castellanos")
    user = User.objects.create_user("coord-browser", password="a-long-test-password-1")
    # A transactional test database is flushed, data migrations included: rebuild the group.
    group, _ = Group.objects.get_or_create(name="Care coordinators")
    group.permissions.add(
        *Permission.objects.filter(
            Q(content_type__app_label="consultations", codename__regex="^(view|change)_")
            | Q(codename="access_admin")
        )
    )
    user.groups.add(group)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("coord-browser")
    page.get_by_label("Password").fill("a-long-test-password-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_server.url + "/admin/")

    page.get_by_role("button", name="Consultations").click()
    page.get_by_role("link", name="Agenda").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agenda")
    expect(page.get_by_text("No voicemail").first).to_be_visible()
    assert_admin_content_accessible(page)

    page.get_by_role("link", name="Quinn (browser test)").click()
    expect(page.get_by_role("heading", name="How to reach them")).to_be_visible()
    assert_admin_content_accessible(page)
    page.get_by_label("Matched therapist").select_option(label="Priya Castellanos")
    page.get_by_label("Private notes").fill("First session with Priya on Tuesday.")
    page.get_by_role("button", name="Mark completed and save outcome").click()
    expect(page.get_by_text("Marked the call completed")).to_be_visible()

    call.refresh_from_db()
    assert call.status == Consultation.Status.COMPLETED
    assert call.matched_therapist == therapist
    assert call.outcome_notes == "First session with Priya on Tuesday."

    from consultations.models import InfoSession

    page.goto(live_server.url + f"/admin/info_sessions/{InfoSession.objects.get().pk}/roster/")
    assert_admin_content_accessible(page)
