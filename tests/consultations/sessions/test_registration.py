"""Information sessions through the pages: real HTTP via the test client, real PostgreSQL."""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consultations.factories import build_info_session
from consultations.models import InfoSession, SessionRegistration
from consultations.sessions import actions as sessions

JOIN_URL = "https://video.example/j/secret-room-4821"
LIST = "/info-sessions/"


def form_data(**overrides) -> dict:
    data = {
        "name": "Sky Testperson",
        "email": "sky@example.com",
        "pronouns": "she/her",
        "consent": "on",
        "website": "",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def invite_text(message) -> str:
    """The unfolded text of the message's `.ics` attachment."""
    [part] = message.attachments
    return part.get_payload(decode=True).decode().replace("\r\n ", "")


def details(name: str, email: str | None = None, **extra) -> dict:
    return {
        "name": name,
        "email": email or f"{name.lower()}@example.com",
        "pronouns": "",
        "discreet": False,
        **extra,
    }


@pytest.fixture
def session(home_page):
    return build_info_session(capacity=2)


@pytest.fixture
def online(home_page):
    return build_info_session(
        title="Finding the right therapist: an online open evening",
        slug="online-open-evening",
        format=InfoSession.Format.ONLINE,
        place="",
        join_url=JOIN_URL,
        capacity=5,
        starts_in=timedelta(days=3),
    )


def detail_url(session) -> str:
    return reverse("consultations:session_detail", args=[session.slug])


def test_list_shows_upcoming_sessions_with_seats_left_and_sets_no_cookie(client, session):
    sessions.register(session, details=details("Ana"))
    build_info_session(slug="past", title="Past session", starts_in=timedelta(days=-1))
    build_info_session(slug="hidden", title="Hidden session", published=False)
    response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert session.title in html
    assert "<strong>1</strong> of 2 seats left" in html
    assert "Past session" not in html and "Hidden session" not in html
    assert not response.cookies
    assert "Ana" not in html


def test_list_query_count_does_not_grow_with_sessions(
    client, home_page, django_assert_max_num_queries
):
    build_info_session(slug="one")
    # Settings, navigation, then the sessions.
    with django_assert_max_num_queries(4) as few:
        client.get(LIST)
    for index in range(6):
        session = build_info_session(slug=f"more-{index}")
        sessions.register(session, details=details(f"P{index}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST)


def test_public_pages_never_show_the_join_link(client, online):
    assert JOIN_URL not in client.get(LIST).content.decode()
    assert JOIN_URL not in client.get(detail_url(online)).content.decode()


def test_detail_page_is_private_and_shows_seats_and_crisis_line(client, session):
    response = client.get(detail_url(session))
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert "<strong>2</strong> of 2 seats left" in html
    assert "988" in html and "Leave this site quickly" in html
    # Findable from a search engine while empty; an answer that repeats someone's answers is not.
    assert "X-Robots-Tag" not in response and "noindex" not in html
    refused = client.post(detail_url(session), form_data(name="Ana", email="not-an-email"))
    assert refused.status_code == 400
    assert "noindex" in refused["X-Robots-Tag"] and "noindex" in refused.content.decode()


def test_registering_saves_a_seat_and_emails_a_confirmation_with_invite(client, session):
    response = client.post(detail_url(session), form_data())
    registration = SessionRegistration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:session_check_email", args=[session.slug])
    assert registration.status == SessionRegistration.Status.REGISTERED
    assert registration.consent_at is not None
    [message] = mail.outbox
    assert message.to == ["sky@example.com"]
    assert "Your seat at an information session" in message.subject
    assert registration.manage_token in message.body
    [part] = message.attachments
    assert part.get_filename() == "invite.ics" and part.get_param("method") == "REQUEST"
    assert "BEGIN:VEVENT" in invite_text(message)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"We'll email you the details" in page.content
    assert "no-store" in page["Cache-Control"]


def test_form_errors_are_shown_next_to_fields_and_input_kept(client, session):
    response = client.post(detail_url(session), form_data(email="not-an-email", consent=None))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter a valid email address." in html
    assert "Please agree to the privacy notice" in html
    assert 'value="Sky Testperson"' in html
    assert not SessionRegistration.objects.exists()


def test_garbage_posts_never_cause_a_server_error(client, session):
    long_email = "a" * 250 + "@example.com"
    for data in (
        {},
        {"idempotency_key": "x" * 500},
        {"name": "\x00", "email": "@"},
        form_data(email=long_email),
        form_data(name="n" * 500, pronouns="p" * 500),
    ):
        assert client.post(detail_url(session), data).status_code == 400
    assert client.get(detail_url(session) + "?%ff=%00&a[]=1").status_code == 200


def test_filled_honeypot_is_refused(client, session):
    response = client.post(detail_url(session), form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert not SessionRegistration.objects.exists()


def test_too_many_posts_from_one_address_get_429(client, session, settings):
    settings.CONSULTATION_RATE_LIMIT = (2, 600)
    for _ in range(2):
        client.post(detail_url(session), form_data(email="x"))
    response = client.post(detail_url(session), form_data())
    assert response.status_code == 429
    assert "no-store" in response["Cache-Control"]


def test_resubmitting_the_same_form_registers_once(client, session):
    data = form_data()
    first = client.post(detail_url(session), data)
    second = client.post(detail_url(session), data)
    assert first["Location"] == second["Location"]
    assert SessionRegistration.objects.count() == 1


def test_same_email_again_only_says_check_your_email(client, session):
    client.post(detail_url(session), form_data(email="Sky@Example.com"))
    mail.outbox.clear()
    other = client.__class__()
    response = other.post(detail_url(session), form_data(email="sky@example.com"))
    assert response["Location"] == reverse("consultations:session_check_email", args=[session.slug])
    assert SessionRegistration.objects.count() == 1
    [reminder] = mail.outbox
    assert reminder.to == ["Sky@Example.com"]
    assert b"Sky" not in other.get(response["Location"]).content


def test_a_full_session_puts_people_on_the_waitlist(client, session):
    for name in ("Ana", "Ben"):
        sessions.register(session, details=details(name))
    mail.outbox.clear()
    response = client.post(detail_url(session), form_data())
    registration = SessionRegistration.objects.get(email="sky@example.com")
    assert registration.status == SessionRegistration.Status.WAITLISTED
    assert registration.waitlist_position == 1
    [message] = mail.outbox
    assert "waitlist" in message.subject
    assert not message.attachments  # no invite for a seat they don't have
    assert "number 1" in message.body
    assert response["Location"] == reverse("consultations:session_check_email", args=[session.slug])
    detail = client.get(detail_url(session)).content.decode()
    assert "Join the waitlist" in detail and "<strong>Full</strong>" in detail


def test_cancelling_promotes_the_waitlist_in_order_with_an_email(session):
    first, _ = sessions.register(session, details=details("Ana"))
    sessions.register(session, details=details("Ben"))
    waiting = [sessions.register(session, details=details(n))[0] for n in ("Cam", "Dee", "Eli")]
    assert [r.waitlist_position for r in waiting] == [1, 2, 3]
    mail.outbox.clear()

    sessions.cancel(first)

    waiting = [SessionRegistration.objects.get(pk=r.pk) for r in waiting]
    assert [r.status for r in waiting] == ["registered", "waitlisted", "waitlisted"]
    assert waiting[0].promoted_at is not None
    assert [r.waitlist_position for r in waiting[1:]] == [1, 2]
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert "Cancelled" in subjects["ana@example.com"]
    assert "A seat is now yours" in subjects["cam@example.com"]
    assert set(subjects) == {"ana@example.com", "cam@example.com"}
    assert session.registrations.registered().count() == 2


def test_cancelling_a_waitlist_place_promotes_nobody(session):
    for name in ("Ana", "Ben"):
        sessions.register(session, details=details(name))
    cam, _ = sessions.register(session, details=details("Cam"))
    dee, _ = sessions.register(session, details=details("Dee"))
    sessions.cancel(cam)
    dee.refresh_from_db()
    assert dee.status == "waitlisted" and dee.waitlist_position == 1


def test_raising_capacity_promotes_the_waitlist(session):
    for name in ("Ana", "Ben", "Cam", "Dee"):
        sessions.register(session, details=details(name))
    session.capacity = 3
    session.save()
    promoted = sessions.promote_waitlist(session)
    assert [r.name for r in promoted] == ["Cam"]


def test_registration_is_refused_before_it_opens(client, home_page):
    session = build_info_session(registration_opens_at=timezone.now() + timedelta(days=1))
    html = client.get(detail_url(session)).content.decode()
    assert "Registration opens on" in html and 'name="email"' not in html
    response = client.post(detail_url(session), form_data())
    assert response.status_code == 409
    assert "opened yet" in response.content.decode()
    assert not SessionRegistration.objects.exists()


def test_registration_is_refused_after_it_closes(client, home_page):
    session = build_info_session(registration_closes_at=timezone.now() - timedelta(minutes=1))
    assert (
        "Registration for this session is closed"
        in client.get(detail_url(session)).content.decode()
    )
    response = client.post(detail_url(session), form_data())
    assert response.status_code == 409
    assert not SessionRegistration.objects.exists()


def test_registration_is_open_inside_its_window(client, home_page):
    now = timezone.now()
    session = build_info_session(
        registration_opens_at=now - timedelta(hours=1),
        registration_closes_at=now + timedelta(hours=1),
    )
    assert client.post(detail_url(session), form_data()).status_code == 302


def test_online_join_link_goes_only_to_registered_people(client, online):
    online.capacity = 1
    online.save()
    client.post(detail_url(online), form_data())
    registered = SessionRegistration.objects.get()
    confirmation = mail.outbox[-1]
    assert JOIN_URL in confirmation.body
    assert JOIN_URL in confirmation.alternatives[0][0]
    assert JOIN_URL in invite_text(confirmation)
    manage = client.get(reverse("consultations:session_manage", args=[registered.manage_token]))
    assert JOIN_URL in manage.content.decode()

    waiting, _ = sessions.register(online, details=details("Ben"))
    waitlisted_email = mail.outbox[-1]
    assert JOIN_URL not in waitlisted_email.body
    manage = client.get(reverse("consultations:session_manage", args=[waiting.manage_token]))
    assert JOIN_URL not in manage.content.decode()


def test_each_invite_names_only_its_own_registrant(client, online):
    sessions.register(online, details=details("Ana", pronouns="she/her"))
    client.post(detail_url(online), form_data())
    sky = SessionRegistration.objects.get(email="sky@example.com")
    ana = SessionRegistration.objects.get(email="ana@example.com")
    invite = client.get(
        reverse("consultations:session_manage_invite", args=[sky.manage_token])
    ).content.decode()
    assert "BEGIN:VEVENT" in invite
    assert "ATTENDEE" not in invite
    assert "ana" not in invite.lower() and "sky@example.com" not in invite
    assert f"UID:{sky.public_id}\r\n" in invite
    assert str(ana.public_id) not in invite


def test_discreet_invite_and_email_never_name_the_session(client, session):
    client.post(detail_url(session), form_data(discreet="on"))
    message = mail.outbox[-1]
    invite = invite_text(message)
    assert "sex work" not in (message.subject + message.body + invite).lower()
    assert "SUMMARY:Information session" in invite
    assert "Kindman" not in message.from_email


def test_manage_page_cancels_only_on_post(client, session):
    registration, _ = sessions.register(session, details=details("Ana"))
    url = reverse("consultations:session_manage", args=[registration.manage_token])
    page = client.get(url)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    registration.refresh_from_db()
    assert registration.status == "registered"
    response = client.post(url, {"action": "cancel"})
    assert response["Location"] == reverse("consultations:session_manage_done", args=["cancelled"])
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert client.get(url).status_code == 404  # the old link stops working


def test_manage_page_erases_details_on_request(client, session):
    registration, _ = sessions.register(session, details=details("Ana"))
    url = reverse("consultations:session_manage", args=[registration.manage_token])
    client.post(url, {"action": "delete"})
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert registration.name == "(erased)" and "ana" not in registration.email
    assert registration.erased_at is not None


def test_unknown_manage_token_and_action_are_handled(client, session):
    assert client.get("/info-sessions/manage/nope/").status_code == 404
    registration, _ = sessions.register(session, details=details("Ana"))
    url = reverse("consultations:session_manage", args=[registration.manage_token])
    assert client.post(url, {"action": "explode"}).status_code == 400
    assert client.get("/info-sessions/manage/done/whatever/").status_code == 404


def test_cancelling_a_place_asks_again_on_a_page_of_its_own(client, session):
    client.post(detail_url(session), form_data())
    registration = SessionRegistration.objects.get()
    token = registration.manage_token
    manage = client.get(reverse("consultations:session_manage", args=[token])).content.decode()
    confirm_url = reverse("consultations:session_manage_confirm", args=[token, "cancel"])
    assert f'href="{confirm_url}"' in manage
    confirm = client.get(confirm_url)
    assert confirm.status_code == 200 and "Yes, cancel my place" in confirm.content.decode()
    registration.refresh_from_db()
    assert registration.status == SessionRegistration.Status.REGISTERED
    response = client.post(
        reverse("consultations:session_manage", args=[token]), {"action": "cancel"}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == SessionRegistration.Status.CANCELLED
