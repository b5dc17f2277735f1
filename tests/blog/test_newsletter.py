"""Newsletter sign-up: double opt-in by email, unsubscribe without logging in, and a form that
never reveals who is subscribed."""

import re
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, connection
from django.test import Client
from django.utils import timezone

from blog.models import Subscriber, token_hash
from kindman.factories import build_site

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
    # Confirmed readers get no second email; the unsubscribed one is asked to confirm again; the
    # new one was emailed a moment ago.
    assert sorted(m.to[0] for m in mail.outbox) == ["gone@example.com", "new@example.com"]
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


# --- Someone else's address must not become a way to flood its inbox -------------------------


@pytest.fixture
def no_rate_limit(settings):
    """Many posts from one test client, so the per-address cooling-off is what is tested."""
    settings.CONSULTATION_RATE_LIMIT = (1000, 600)


def test_many_quick_sign_ups_for_one_address_send_one_email(client, home_page, no_rate_limit):
    answers = {(r.status_code, r["Location"]) for r in (subscribe(client) for _ in range(15))}
    assert answers == {(302, "/newsletter/check-your-inbox/")}
    assert [message.to for message in mail.outbox] == [["reader@example.com"]]
    # The one link sent still works.
    assert client.post(links(mail.outbox[0])["confirm"]).status_code == 302


def test_another_address_still_gets_its_own_email(client, home_page, no_rate_limit):
    for _ in range(5):
        subscribe(client, "reader@example.com")
    subscribe(client, "Someone.Else@example.com")
    subscribe(client, "someone.else@example.com")
    assert sorted(message.to[0] for message in mail.outbox) == [
        "Someone.Else@example.com",
        "reader@example.com",
    ]


def test_a_new_email_is_sent_once_the_cooling_off_period_is_over(
    client, home_page, no_rate_limit, settings
):
    subscribe(client)
    subscribe(client)
    assert len(mail.outbox) == 1
    Subscriber.objects.update(
        confirmation_sent_at=timezone.now()
        - settings.NEWSLETTER_CONFIRMATION_COOLOFF
        - timedelta(seconds=1)
    )
    subscribe(client)
    assert len(mail.outbox) == 2
    # Only the newest link confirms.
    assert client.post(links(mail.outbox[0])["confirm"]).status_code == 404
    assert client.post(links(mail.outbox[1])["confirm"]).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_simultaneous_sign_ups_for_one_address_send_one_email(settings):
    settings.CONSULTATION_RATE_LIMIT = (1000, 600)
    build_site()
    Subscriber.objects.create(email="reader@example.com")  # asked before, never emailed
    barrier = threading.Barrier(8)
    answers = []

    def sign_up():
        try:
            browser = Client()
            barrier.wait()
            answers.append(subscribe(browser).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [302] * 8
    assert len(mail.outbox) == 1


def test_a_filled_honeypot_sends_nothing_and_answers_like_a_real_sign_up(client, home_page):
    real = subscribe(client, "person@example.com")
    bot = client.post("/newsletter/", {"email": "victim@example.com", "website": "http://spam"})
    assert (bot.status_code, bot["Location"]) == (real.status_code, real["Location"])
    assert [message.to for message in mail.outbox] == [["person@example.com"]]
    assert not Subscriber.objects.with_email("victim@example.com").exists()


def test_the_honeypot_is_hidden_from_people(client, home_page):
    html = client.get("/newsletter/").content.decode()
    assert re.search(r'<div class="honeypot" aria-hidden="true">.*name="website"', html, re.S)
    assert 'tabindex="-1"' in html


def test_too_many_sign_ups_from_one_connection_are_paused_with_the_address_kept(
    client, home_page, settings
):
    settings.CONSULTATION_RATE_LIMIT = (3, 600)
    for number in range(3):
        assert subscribe(client, f"reader{number}@example.com").status_code == 302
    response = subscribe(client, "typed.carefully@example.com")
    html = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "paused this form" in html
    assert 'value="typed.carefully@example.com"' in html
    assert len(mail.outbox) == 3
    assert not Subscriber.objects.with_email("typed.carefully@example.com").exists()


class RefusingBackend:
    """A mail server that refuses everything (a real backend class, not a mock of the queue)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPException("refused")


def test_a_confirmation_that_cannot_be_sent_shows_in_the_deliveries_and_can_be_retried(
    client, home_page, settings, django_user_model
):
    """The newsletter's email goes through the one outbox, like every other: a failure is seen
    by staff and retried, never lost silently."""
    from kindman.models import EmailDelivery

    settings.EMAIL_BACKEND = "tests.blog.test_newsletter.RefusingBackend"
    client.post("/newsletter/", {"email": "reader@example.com"})
    delivery = EmailDelivery.objects.get()
    assert delivery.kind_label == "Newsletter: confirm your address"
    assert delivery.status == EmailDelivery.Status.RETRYING
    admin = django_user_model.objects.create_superuser("a", "a@example.com", "pw-123456789012")
    client.force_login(admin)
    listing = client.get("/admin/consultation_emails/").content.decode()
    assert "Newsletter: confirm your address" in listing
    assert "reader@example.com" not in listing
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.post(f"/admin/consultation_emails/{delivery.pk}/retry/")
    [message] = mail.outbox
    assert message.to == ["reader@example.com"] and "/newsletter/confirm/" in message.body


def test_a_sign_up_from_a_spanish_page_is_answered_in_spanish(client, home_page):
    response = client.post("/es/newsletter/", {"email": "lectora@example.com"})
    assert response["Location"] == "/es/newsletter/check-your-inbox/"
    assert Subscriber.objects.get().language == "es"

    (message,) = mail.outbox
    html_body = message.alternatives[0][0]
    assert message.subject.startswith("Confirma tu suscripción al boletín de")
    assert "Alguien (esperamos que tú) pidió recibir el boletín" in message.body
    assert 'lang="es"' in html_body and "Confirmar mi suscripción" in html_body
    assert "Someone" not in message.body + html_body
    confirm_path = re.search(r"https?://[^/\s]+(/es/newsletter/confirm/[^/\s]+/)", message.body)
    assert confirm_path, message.body
    assert re.search(r"/es/newsletter/unsubscribe/[^/\s]+/", message.body)
    assert "/es/newsletter/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    page = client.get(confirm_path.group(1))
    assert 'lang="es"' in page.content.decode()


def test_signing_up_again_from_an_english_page_switches_the_emails_to_english(
    client, home_page, no_rate_limit, settings
):
    client.post("/es/newsletter/", {"email": "reader@example.com"})
    a_while_ago = timezone.now() - settings.NEWSLETTER_CONFIRMATION_COOLOFF - timedelta(seconds=1)
    Subscriber.objects.update(
        status=Subscriber.Status.UNSUBSCRIBED, confirmation_sent_at=a_while_ago
    )
    mail.outbox.clear()

    subscribe(client)
    (message,) = mail.outbox
    assert Subscriber.objects.get().language == "en"
    assert message.subject.startswith("Confirm your subscription to the")
    assert "/es/" not in message.body
