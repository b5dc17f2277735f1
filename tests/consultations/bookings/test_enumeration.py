"""Nobody learns from our answers whether an email address or a phone number belongs to a
client: an address that already holds a place and a number that already has an open call are
answered exactly as a new person's; the owner hears through their own channel."""

import re
import uuid

from django.core import mail
from django.urls import reverse

from consultations.factories import build_info_session
from consultations.models import Consultation, SessionRegistration
from tests.consultations.helpers import booking_data, open_values

SENSITIVE = ["sex worker", "Therapy for sex workers"]


def registration(**overrides):
    data = {
        "name": "Sky",
        "email": "sky@example.com",
        "consent": "on",
        "idempotency_key": str(uuid.uuid4()),
    }
    return {**data, **overrides}


def normalised(response) -> tuple:
    """What a visitor can see of an answer, with the form's own secrets blanked."""
    body = response.content.decode() if not response.streaming else ""
    body = re.sub(r'value="[^"]{20,}"', 'value=""', body)  # CSRF token, idempotency key
    cookies = sorted(name for name in response.cookies if name != "csrftoken")
    return response.status_code, response.get("Location"), cookies, body


def test_registering_an_address_that_has_a_place_looks_like_a_new_registration(client, home_page):
    session = build_info_session()
    url = reverse("consultations:session_detail", args=[session.slug])
    first = client.post(url, registration())
    again = client.post(url, registration(name="Someone else"))
    new = client.post(url, registration(name="Someone else", email="new@example.com"))
    assert normalised(again)[:3] == normalised(new)[:3] == normalised(first)[:3]
    assert normalised(client.get(again["Location"])) == normalised(client.get(new["Location"]))
    # the address's owner is told, at that address
    assert SessionRegistration.objects.filter(email="sky@example.com").count() == 1
    assert [m.to for m in mail.outbox].count(["sky@example.com"]) == 2


def test_no_registration_email_names_the_session(client, home_page):
    """Someone may type another person's address: the email must not say they signed up for a
    session for sex workers, and it lets them remove it."""
    session = build_info_session(capacity=1)
    url = reverse("consultations:session_detail", args=[session.slug])
    client.post(url, registration())
    client.post(url, registration(email="second@example.com"))  # waitlisted
    client.post(url, registration(name="Again"))  # already registered
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        texts = [message.subject, message.body, *(a[0] for a in message.alternatives)]
        texts += [part.get_payload(decode=True).decode() for part in message.attachments]
        for text in texts:
            for word in SENSITIVE:
                assert word.lower() not in text.lower(), (message.subject, word)
        assert "/info-sessions/not-me/" in message.body


def test_the_not_me_link_names_nothing_and_erases_on_one_button(client, home_page):
    session = build_info_session()
    client.post(reverse("consultations:session_detail", args=[session.slug]), registration())
    link = re.search(r"http://testserver(/info-sessions/not-me/[\w-]+/)", mail.outbox[0].body)
    page = client.get(link.group(1))
    assert page.status_code == 200
    for word in [*SENSITIVE, session.title]:
        assert word not in page.content.decode()
    assert SessionRegistration.objects.get().erased_at is None  # a mail scanner's GET
    done = client.post(link.group(1))
    assert done.status_code == 302
    seat = SessionRegistration.objects.get()
    assert seat.erased_at is not None and seat.status == "cancelled"
    assert "sky@example.com" not in seat.email


def test_booking_with_a_number_that_has_an_open_call_looks_like_any_booking(
    client, coordinator, django_user_model
):
    times = open_values()
    first = client.post("/consultation/", booking_data(times[0]))
    stranger = client.post("/consultation/", booking_data(times[5], name="Someone else"))
    assert first.status_code == stranger.status_code == 302
    assert "phone" not in stranger.content.decode()
    assert Consultation.objects.filter(phone="+13235550199").count() == 2
    # The coordinator sees the clash on the agenda and on each call's page.
    admin = django_user_model.objects.create_superuser("coord", "c@example.com", "pw-12345678901")
    client.force_login(admin)
    agenda = client.get(reverse("consultation_agenda:index")).content.decode()
    assert agenda.count("Same phone as another open call") == 2
    call = Consultation.objects.order_by("starts_at").first()
    page = client.get(reverse("consultation_agenda:call", args=[call.pk])).content.decode()
    assert "Another open call has this phone number" in page
