"""Staff create information sessions in the admin; the form refuses sessions that can't work."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from consultations.factories import build_info_session
from consultations.models import InfoSession

ADD = "/admin/info_sessions/new/"


def session_data(**overrides) -> dict:
    from kindman.timezones import PRACTICE_TZ

    start = (
        (timezone.now() + timedelta(days=10))
        .astimezone(PRACTICE_TZ)
        .replace(hour=18, minute=0, second=0, microsecond=0)
    )
    data = {
        "title": "Finding the right therapist: an online open evening",
        "slug": "open-evening",
        "audience": "For anyone wondering where to start",
        "description": "An hour about how therapy works here.",
        "starts_at": start.strftime("%Y-%m-%d %H:%M"),
        "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        "format": "online",
        "language": "en",
        "place": "",
        "join_url": "https://video.example/j/123",
        "capacity": "12",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "published": "on",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_a_session_in_pacific_time_and_it_is_logged(coordinator_client):
    response = coordinator_client.post(ADD, session_data())
    assert response.status_code == 302
    session = InfoSession.objects.get()
    assert session.starts_at_local.hour == 18
    assert ModelLogEntry.objects.for_instance(session).filter(action="wagtail.create").exists()
    assert coordinator_client.get(LIST_URL).content.decode().count(session.title) == 1


LIST_URL = "/info-sessions/"


def test_online_session_needs_a_join_link(coordinator_client):
    response = coordinator_client.post(ADD, session_data(join_url=""))
    assert response.status_code == 200
    assert "An online session needs a join link." in response.content.decode()
    assert not InfoSession.objects.exists()


def test_in_person_session_needs_a_place_and_an_end_after_its_start(coordinator_client):
    data = session_data(format="in_person", join_url="")
    data["ends_at"] = data["starts_at"]
    html = coordinator_client.post(ADD, data).content.decode()
    assert "Give the address of an in-person session." in html
    assert "The end must be after the start." in html
    assert not InfoSession.objects.exists()


def test_unpublished_sessions_are_not_found_and_past_ones_are_closed(client, home_page):
    hidden = build_info_session(slug="hidden", published=False)
    past = build_info_session(slug="past", starts_in=timedelta(hours=-2))
    assert (
        client.get(reverse("consultations:session_detail", args=[hidden.slug])).status_code == 404
    )
    html = client.get(reverse("consultations:session_detail", args=[past.slug])).content.decode()
    assert "Registration for this session is closed" in html
    assert 'name="email"' not in html
