"""Newsletter sign-up: double opt-in by email, unsubscribe without logging in, and a form that
never reveals who is subscribed."""

import re

import pytest
from django.core import mail
from django.db import IntegrityError

from blog.models import Subscriber, token_hash

pytestmark = pytest.mark.django_db


def links(message) -> dict[str, str]:
    """Path of each link in an email, by kind."""
    found = {}
    for kind in ("confirm", "unsubscribe"):
        match = re.search(rf"https?://[^/\s]+(/newsletter/{kind}/[^/\s]+/)", message.body)
        if match:
            found[kind] = match.group(1)
    return found


def subscribe(client, email="reader@example.com"):
    return client.post("/newsletter/", {"email": email})


def test_subscribe_page_is_a_private_uncached_form(client, home_page):
    response = client.get("/newsletter/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_invalid_email_is_explained_next_to_the_field_and_kept(client, home_page):
    response = client.post("/newsletter/", {"email": "not-an-address"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in html
    assert 'value="not-an-address"' in html
    assert 'aria-invalid="true"' in html
    assert not Subscriber.objects.exists() and not mail.outbox


def test_double_opt_in_confirms_only_after_the_button_is_pressed(client, home_page):
    response = subscribe(client)
    assert response.status_code == 302 and response["Location"] == "/newsletter/check-your-inbox/"
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING

    (message,) = mail.outbox
    assert message.to == ["reader@example.com"]
    assert "Confirm" in message.subject
    html_body = message.alternatives[0][0]
    confirm_path = links(message)["confirm"]
    assert confirm_path in html_body

    # Following the link (as a mail scanner would) changes nothing.
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert "Confirm my subscription" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING

    response = client.post(confirm_path)
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None
    assert client.get(response["Location"]).status_code == 200

    # The link is single use.
    assert client.post(confirm_path).status_code == 404


def test_only_a_hash_of_the_confirmation_token_is_stored(client, home_page):
    subscribe(client)
    token = links(mail.outbox[0])["confirm"].split("/")[-2]
    subscriber = Subscriber.objects.get()
    assert token not in subscriber.confirmation_token_hash
    assert subscriber.confirmation_token_hash == token_hash(token)
    assert len(token) >= 40


def test_wrong_or_expired_confirmation_links_are_refused(client, home_page):
    subscribe(client)
    path = links(mail.outbox[0])["confirm"]
    for guess in ("guessed-token", "%00", "a%00b", "x" * 500):
        assert client.get(f"/newsletter/confirm/{guess}/").status_code == 404
        assert client.post(f"/newsletter/unsubscribe/{guess}/").status_code == 404
    Subscriber.objects.update(confirmation_sent_at="2000-01-01T00:00Z")
    assert client.post(path).status_code == 404
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_every_email_carries_a_working_unsubscribe_link_that_needs_no_login(client, home_page):
    subscribe(client)
    client.post(links(mail.outbox[0])["confirm"])
    for message in mail.outbox:
        path = links(message)["unsubscribe"]
        assert path in message.alternatives[0][0]
        assert path in message.extra_headers["List-Unsubscribe"]

    reader = type(client)()  # a fresh browser: no session, no login
    page = reader.get(path)
    assert page.status_code == 200 and "Unsubscribe me" in page.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
    response = reader.post(path)
    assert response.status_code == 302
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    assert "already unsubscribed" in reader.get(path).content.decode()
    assert reader.get("/newsletter/unsubscribe/nope/").status_code == 404


def test_the_form_answers_the_same_whatever_the_address_state(client, home_page):
    def answer(email):
        response = subscribe(client, email)
        return response.status_code, response["Location"]

    first = answer("new@example.com")
    Subscriber.objects.create(email="confirmed@example.com", status=Subscriber.Status.CONFIRMED)
    Subscriber.objects.create(email="gone@example.com", status=Subscriber.Status.UNSUBSCRIBED)
    assert answer("Confirmed@Example.com") == first
    assert answer("gone@example.com") == first
    assert answer("new@example.com") == first
    assert Subscriber.objects.count() == 3
    # Confirmed readers get no second email; the unsubscribed one is asked to confirm again.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "gone@example.com",
        "new@example.com",
        "new@example.com",
    ]
    assert Subscriber.objects.get(email="gone@example.com").status == Subscriber.Status.PENDING
    assert Subscriber.objects.get(email="confirmed@example.com").status == "confirmed"


def test_addresses_are_unique_whatever_their_case(home_page):
    Subscriber.objects.create(email="Reader@Example.com")
    with pytest.raises(IntegrityError):
        Subscriber.objects.create(email="reader@example.COM")


def test_subscribe_pages_reject_other_methods(client, home_page):
    assert client.put("/newsletter/").status_code == 405
    assert client.post("/newsletter/confirmed/").status_code == 405


def test_inactive_addresses_are_erased_after_thirty_days(home_page):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    long_ago = timezone.now() - timedelta(days=31)
    recent = timezone.now() - timedelta(days=2)
    keep = [
        Subscriber.objects.create(email="reader@example.com", status="confirmed"),
        Subscriber.objects.create(email="fresh@example.com"),
        Subscriber.objects.create(
            email="just-left@example.com", status="unsubscribed", unsubscribed_at=recent
        ),
    ]
    Subscriber.objects.filter(email="reader@example.com").update(created_at=long_ago)
    old_pending = Subscriber.objects.create(email="never@example.com")
    Subscriber.objects.filter(pk=old_pending.pk).update(created_at=long_ago)
    Subscriber.objects.create(
        email="left@example.com", status="unsubscribed", unsubscribed_at=long_ago
    )

    call_command("purge_newsletter_subscribers", verbosity=0)
    assert set(Subscriber.objects.values_list("pk", flat=True)) == {s.pk for s in keep}
