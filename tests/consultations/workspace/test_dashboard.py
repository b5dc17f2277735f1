"""The coordinator's Wagtail dashboard shows the day's work: today's and tomorrow's calls with
how to reach each person, calls waiting for confirmation, and the next information sessions
with seats and waitlist. Editors see none of it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations.factories import ConsultationFactory
from consultations.models import Consultation
from tests.consultations.helpers import register_person, tomorrow_at


def dashboard(client) -> str:
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def panel(html: str, name: str) -> str:
    start = html.index(f'id="{name}-section"')
    return html[start : html.index("</section>", start)]


def test_coordinator_sees_tomorrows_call_with_its_contact_preferences(coordinator_client, call):
    html = dashboard(coordinator_client)
    today = panel(html, "calls_today_and_tomorrow")
    assert "Calls today and tomorrow" in today
    assert "Robin Caller" in today and "No voicemail" in today and "No texts" in today
    assert "Discreet" in today and "Requested" in today
    assert "Pacific Time" in today
    waiting = panel(html, "calls_awaiting_confirmation")
    assert "Robin Caller" in waiting


def test_a_confirmed_call_no_longer_waits_for_confirmation(coordinator_client, call):
    Consultation.objects.filter(pk=call.pk).update(status=Consultation.Status.CONFIRMED)
    html = dashboard(coordinator_client)
    assert "Every upcoming call is confirmed." in html
    assert "Confirmed" in panel(html, "calls_today_and_tomorrow")


def test_next_sessions_show_seats_taken_and_the_waitlist(coordinator_client, info_session):
    for number in range(3):
        register_person(info_session, f"Person {number}", f"p{number}@example.com")
    html = dashboard(coordinator_client)
    sessions = panel(html, "next_info_sessions")
    assert info_session.title in sessions
    assert "2 of 2 seats taken, 1 waiting" in sessions


def test_the_dashboard_reads_calls_in_the_same_queries_however_many(
    coordinator_client, call, call_coordinator
):
    dashboard(coordinator_client)
    with CaptureQueriesContext(connection) as few:
        dashboard(coordinator_client)
    for hour in (11, 12, 13, 14):
        ConsultationFactory(coordinator=call_coordinator, starts_at=tomorrow_at(hour))
    with CaptureQueriesContext(connection) as many:
        dashboard(coordinator_client)
    assert len(many) == len(few)


@pytest.mark.usefixtures("call", "info_session")
def test_editors_see_nothing_of_consultations_on_the_dashboard(client, editor_user):
    client.force_login(editor_user)
    html = dashboard(client)
    for text in ("Robin Caller", "Calls today", "Waiting for confirmation", "information sessions"):
        assert text not in html


def test_coordinator_is_offered_no_page_search_they_could_not_use(coordinator_client, call):
    html = dashboard(coordinator_client)
    assert "Search all pages" not in html
    assert 'role="search"' not in html
    assert coordinator_client.get("/admin/pages/search/?q=x").status_code in (302, 403)
    # The rest of the dashboard is still there.
    assert "Robin Caller" in panel(html, "calls_today_and_tomorrow")


def test_editors_keep_wagtails_page_search(client, editor_user):
    client.force_login(editor_user)
    html = dashboard(client)
    assert "Search all pages" in html
    assert client.get("/admin/pages/search/?q=x").status_code == 200
