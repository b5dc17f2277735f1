"""A day of staff work in a real browser, one walk per role: the editor writes, previews and
publishes a post; the Care Coordinator confirms and cancels calls, exports the day's calls and
offers a waitlisted seat. Each step is what the issue "Staff can do their day's work without
help" asks for, through the screens staff use, not their URLs where a menu or link leads there."""

import csv
import io
from datetime import timedelta

from django.contrib.auth.models import Group, Permission, User
from django.db.models import Q
from playwright.sync_api import expect

from consultations.factories import build_consultation, build_coordinator, build_info_session
from consultations.models import Consultation, InfoSession, SessionRegistration
from tests.consultations.helpers import register_person, tomorrow_at

PASSWORD = "a-long-walk-password-7"


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(base_url + "/admin/")


def test_editor_writes_a_post_previews_it_publishes_it_and_finds_it_on_the_blog(
    browser, production_site
):
    # Production settings: the preview panel must show the post under the real CSP.
    production_site.python(
        "from django.contrib.auth.models import Group, User\n"
        f"User.objects.create_user('walk-editor', password={PASSWORD!r})"
        ".groups.add(Group.objects.get(name='Editors'))\n"
    )
    title = "What a first session feels like"
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, production_site.base_url, "walk-editor")

    page.get_by_role("link", name="Write a post").click()
    expect(page.get_by_role("heading", name="New: Blog post")).to_be_visible()
    page.get_by_role("textbox", name="Title*").fill(title)
    page.get_by_role("textbox", name="Summary*").fill("Nerves, questions and a cup of tea.")

    page.get_by_role("button", name="Choose an image").click()
    images = page.get_by_role("dialog")
    images.get_by_role("link", name="Hills at sunrise (demo picture)").first.click()
    expect(images).to_be_hidden()
    page.get_by_role("textbox", name="Hero image alt text").fill("Green hills at sunrise")

    # The author is chosen among the therapists, by name (with their portrait).
    page.get_by_role("button", name="Choose a therapist").click()
    therapists = page.get_by_role("dialog")
    expect(therapists.get_by_role("heading", name="Choose a therapist")).to_be_visible()
    therapists.get_by_role("link", name="Priya Castellanos").click()
    expect(therapists).to_be_hidden()

    # The body starts with a paragraph ready to type into.
    body = page.get_by_role("region", name="Body*").get_by_role("textbox")
    body.click()
    body.press_sequentially("Most people arrive with more questions than answers.")

    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.get_by_role("heading", level=1)).to_have_text(title)
    expect(preview.get_by_text("Most people arrive with more questions")).to_be_visible()
    expect(preview.get_by_role("img", name="Green hills at sunrise")).to_be_visible()
    expect(preview.get_by_role("link", name="Priya Castellanos").first).to_be_visible()

    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text(f"Page '{title}' has been published.")).to_be_visible()

    page.goto(production_site.base_url + "/blog/")
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text("Most people arrive with more questions")).to_be_visible()
    context.close()


def coordinator(username: str) -> User:
    """A member of the Care coordinators group (a transactional test database is flushed, its
    data migration included, so the group is built again)."""
    group, _ = Group.objects.get_or_create(name="Care coordinators")
    group.permissions.add(
        *Permission.objects.filter(
            Q(content_type__app_label="consultations", codename__regex="^(view|change)_")
            | Q(codename="access_admin")
        )
    )
    user = User.objects.create_user(username, password=PASSWORD)
    user.groups.add(group)
    return user


def test_coordinator_confirms_cancels_exports_and_offers_a_seat(page, live_server, site):
    rosa = build_coordinator("Rosa Walk")
    avery = build_consultation(
        coordinator=rosa,
        starts_at=tomorrow_at(10),
        name="Avery (walk test)",
        phone="+13235550181",
        email="avery@example.com",
    )
    blake = build_consultation(
        coordinator=rosa,
        starts_at=tomorrow_at(11),
        name="Blake (walk test)",
        phone="+13235550182",
        email="",
        may_leave_voicemail=False,
    )
    build_consultation(
        coordinator=rosa,
        starts_at=tomorrow_at(10) + timedelta(days=3),
        name="Later (walk test)",
        phone="+13235550183",
    )
    session = build_info_session(slug="walk-session", title="Walk-test session", capacity=1)
    register_person(session, "Ana (walk test)", "ana@example.com")
    ben, _ = register_person(session, "Ben (walk test)", "ben@example.com")
    assert ben.status == SessionRegistration.Status.WAITLISTED
    # A seat comes free without the waitlist moving up (a seat added by hand): the
    # coordinator offers it.
    InfoSession.objects.filter(pk=session.pk).update(capacity=2)
    coordinator("walk-coordinator")

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server.url, "walk-coordinator")
    today_and_tomorrow = page.get_by_role("region", name="Calls today and tomorrow")
    expect(today_and_tomorrow.get_by_role("link", name="Avery (walk test)")).to_be_visible()
    expect(today_and_tomorrow.get_by_role("link", name="Blake (walk test)")).to_be_visible()
    waiting = page.get_by_role("region", name="Waiting for confirmation")
    expect(waiting.get_by_role("link", name="Avery (walk test)")).to_be_visible()

    # Confirm one call.
    waiting.get_by_role("link", name="Avery (walk test)").click()
    expect(page.get_by_role("heading", name="Call with Avery (walk test)")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Confirmed the call.")).to_be_visible()
    avery.refresh_from_db()
    assert avery.status == Consultation.Status.CONFIRMED

    # Cancel another: they gave no email, so the coordinator is told to call them.
    page.goto(live_server.url + "/admin/")
    expect(waiting.get_by_role("link", name="Avery (walk test)")).to_have_count(0)
    today_and_tomorrow.get_by_role("link", name="Blake (walk test)").click()
    page.get_by_role("link", name="Cancel this call…").click()
    expect(page.get_by_text("call them on (323) 555-0182 to let them know")).to_be_visible()
    page.get_by_role("button", name="Yes, cancel the call").click()
    expect(
        page.get_by_text("They gave no email address: call them to let them know.")
    ).to_be_visible()
    expect(page.get_by_text("The client gets an email")).to_have_count(0)
    blake.refresh_from_db()
    assert blake.status == Consultation.Status.CANCELLED

    # Export tomorrow's calls and read their times in Pacific time.
    page.get_by_role("button", name="Consultations").click()
    page.get_by_role("link", name="Bookings").click()
    page.get_by_role("button", name="Show filters").click()
    page.get_by_role("button", name="Call date").click()
    day = avery.starts_at_local.date().isoformat()
    page.get_by_role("textbox", name="Date from").fill(day)
    page.get_by_role("textbox", name="Date to").fill(day)
    page.get_by_role("textbox", name="Date to").press("Enter")
    expect(page).to_have_url(
        f"{live_server.url}/admin/consultation_bookings/?starts_at_from={day}&starts_at_to={day}"
    )
    expect(page.get_by_role("link", name="Later (walk test)")).to_have_count(0)
    page.get_by_role("button", name="Actions").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = {row["Name to use"]: row for row in csv.DictReader(io.StringIO(text))}
    assert set(rows) == {"Avery (walk test)", "Blake (walk test)"}
    starts = "Call starts (Pacific Time (Los Angeles))"
    for call in (avery, blake):
        local = call.starts_at_local
        assert rows[call.name][starts] == f"{local:%Y-%m-%d %-I:%M %p} PT"
    assert rows["Avery (walk test)"]["Status"] == "Confirmed"
    assert rows["Blake (walk test)"]["Status"] == "Cancelled"

    # Offer the free seat to the person waiting, from the session's roster.
    page.goto(live_server.url + "/admin/")
    sessions = page.get_by_role("region", name="Next information sessions")
    expect(sessions).to_contain_text("1 of 2 seats taken, 1 waiting")
    sessions.get_by_role("link", name="Walk-test session").click()
    page.get_by_role("link", name="Offer the seat… to Ben (walk test)").click()
    page.get_by_role("button", name="Yes, offer them the seat").click()
    expect(
        page.get_by_text("Ben (walk test) has a seat now. They get an email saying so.")
    ).to_be_visible()
    expect(page.get_by_text("Nobody is waiting.")).to_be_visible()
    ben.refresh_from_db()
    assert ben.status == SessionRegistration.Status.REGISTERED
