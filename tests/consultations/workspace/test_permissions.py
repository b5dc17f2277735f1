"""Only superusers and Care coordinators reach the workspace; Editors get 403 (or a redirect)
on every URL and see no menu item."""

import pytest
from django.urls import reverse

from tests.consultations.helpers import register_person


@pytest.fixture
def registration(info_session):
    registration, _ = register_person(info_session, "Ana", "ana@example.com")
    return registration


def coordinator_urls(call, info_session, registration) -> tuple[list[str], list[str]]:
    gets = [
        reverse("consultation_agenda:index"),
        reverse("consultation_agenda:call", args=[call.pk]),
        reverse("consultation_agenda:erase", args=[call.pk]),
        reverse("consultation_bookings:index"),
        reverse("consultation_bookings:index") + "?export=csv",
        reverse("consultation_bookings:index") + "?export=xlsx",
        reverse("consultation_bookings:edit", args=[call.pk]),
        reverse("consultation_bookings:history", args=[call.pk]),
        reverse("info_sessions:index"),
        reverse("info_sessions:add"),
        reverse("info_sessions:edit", args=[info_session.pk]),
        reverse("info_sessions:roster", args=[info_session.pk]),
        reverse("session_registrations:index"),
        reverse("session_registrations:index") + f"?session={info_session.pk}&export=csv",
        reverse("session_registrations:index") + "?export=xlsx",
        reverse("session_registrations:edit", args=[registration.pk]),
        reverse("session_registrations:erase", args=[registration.pk]),
        reverse("session_registrations:cancel", args=[registration.pk]),
        reverse("session_registrations:offer", args=[registration.pk]),
    ]
    posts = [
        *(
            reverse("consultation_agenda:action", args=[call.pk, action])
            for action in ("confirm", "complete", "no_show", "cancel", "outcome")
        ),
        reverse("consultation_agenda:erase", args=[call.pk]),
        reverse("info_sessions:roster", args=[info_session.pk]),
        reverse("session_registrations:cancel", args=[registration.pk]),
        reverse("session_registrations:offer", args=[registration.pk]),
        reverse("session_registrations:erase", args=[registration.pk]),
    ]
    return gets, posts


def test_editor_is_refused_on_every_coordinator_url(
    client, editor_user, call, info_session, registration
):
    client.force_login(editor_user)
    gets, posts = coordinator_urls(call, info_session, registration)
    for url in gets:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"Robin Caller" not in response.content and b"Ana" not in response.content
    for url in posts:
        assert client.post(url, {"attendance-1": "attended"}).status_code in (302, 403), url
    call.refresh_from_db()
    registration.refresh_from_db()
    assert call.status == "requested" and call.erased_at is None
    assert registration.status == "registered" and registration.erased_at is None


def test_anonymous_visitors_are_sent_to_the_login_page(client, call, info_session, registration):
    gets, _posts = coordinator_urls(call, info_session, registration)
    for url in gets:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


def test_coordinator_reaches_every_coordinator_url(
    coordinator_client, call, info_session, registration
):
    gets, _posts = coordinator_urls(call, info_session, registration)
    for url in gets:
        assert coordinator_client.get(url).status_code == 200, url


def test_editor_sees_no_consultations_menu(client, editor_user):
    client.force_login(editor_user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("consultation_agenda:index") not in html
    assert reverse("info_sessions:index") not in html
    assert "Consultations" not in html


def test_coordinator_sees_the_consultations_menu(coordinator_client):
    html = coordinator_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Consultations" in html
    assert reverse("consultation_agenda:index") in html
    assert reverse("info_sessions:index") in html
    assert reverse("session_registrations:index") in html
