"""An email that fails is seen and can be sent again: on the call's page, the coordinator's agenda,
the admin dashboard and the deliveries list; clients are never told an email went out before it
has. The failing mail server is a real email backend that refuses every message."""

import smtplib
import uuid

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client, override_settings
from django.urls import reverse
from wagtail.models import ModelLogEntry

from consultations.models import Consultation
from consultations.sessions import actions as sessions  # noqa: F401  (sessions registers its builders)
from kindman import emails
from kindman.models import EmailDelivery
from kindman.tasks import MAX_ATTEMPTS, send_delivery
from tests.consultations.helpers import booking_data, open_values, register_person


class RefusingSMTPBackend(BaseEmailBackend):
    """A mail relay that is down: every message is refused."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("relay refused the message")


mail_server_down = override_settings(EMAIL_BACKEND=f"{__name__}.{RefusingSMTPBackend.__qualname__}")

CONFIRMATION = "consultation_confirmation"


def book_as_client(client=None) -> Consultation:
    """A booking made through the booking page, with an email address."""
    client = client or Client()
    response = client.post(reverse("consultations:book"), booking_data(open_values()[-1]))
    assert response.status_code == 302, response.content.decode()[:500]
    return Consultation.objects.get(phone="+13235550199")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def failed_booking(coordinator):
    """A booking whose confirmation and staff notice were refused by the mail server."""
    with mail_server_down:
        return book_as_client()


def listing(html: str) -> str:
    """The rows of the admin list (its filters name every kind too)."""
    table = html.split('<table class="listing', 1)[1]
    return table.split("<tbody", 1)[1].split("</tbody>", 1)[0]


def fail_for_good(delivery: EmailDelivery) -> EmailDelivery:
    with mail_server_down:
        while delivery.status != EmailDelivery.Status.FAILED:
            send_delivery.call(delivery.pk)
            delivery.refresh_from_db()
    return delivery


# --- kinds have labels --------------------------------------------------------------------


def test_every_email_kind_a_builder_sends_has_a_label():
    assert set(emails.BUILDERS) == set(emails.LABELS)
    assert {"consultation_confirmation", "session_waitlisted"} <= set(emails.BUILDERS)
    for kind, label in emails.LABELS.items():
        assert label and "_" not in label, kind
        assert EmailDelivery(kind=kind).kind_label == label


# --- a refused email is recorded and shown ------------------------------------------------


def test_a_refused_confirmation_is_retrying_and_the_booking_stands(failed_booking):
    confirmation = EmailDelivery.objects.get(kind=CONFIRMATION)
    assert confirmation.status == EmailDelivery.Status.RETRYING
    assert confirmation.attempts == 1
    assert confirmation.last_error == "SMTPException"
    assert not mail.outbox
    assert failed_booking.status == Consultation.Status.REQUESTED


def test_the_calls_page_shows_its_retrying_emails_to_a_coordinator(
    failed_booking, coordinator_user
):
    page = signed_in(coordinator_user).get(
        reverse("consultation_agenda:call", args=[failed_booking.pk])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Emails not sent" in html
    assert "Confirmation to the client" in html and "New-booking notice to staff" in html
    assert "Retrying" in html and "SMTPException" in html
    confirmation = EmailDelivery.objects.get(kind=CONFIRMATION)
    assert reverse("consultation_emails:retry", args=[confirmation.pk]) in html
    assert "The client's confirmation email has not gone out yet" in html
    assert "could not be sent" not in html


def test_a_confirmation_that_failed_for_good_tells_the_coordinator_to_call(
    failed_booking, coordinator_user
):
    confirmation = fail_for_good(EmailDelivery.objects.get(kind=CONFIRMATION))
    assert confirmation.attempts == MAX_ATTEMPTS
    html = (
        signed_in(coordinator_user)
        .get(reverse("consultation_agenda:call", args=[failed_booking.pk]))
        .content.decode()
    )
    assert "The client's confirmation email could not be sent — call them to confirm." in html
    assert "Failed" in html


def test_a_call_whose_emails_went_out_shows_no_email_warning(coordinator, coordinator_user):
    call = book_as_client()
    html = (
        signed_in(coordinator_user)
        .get(reverse("consultation_agenda:call", args=[call.pk]))
        .content.decode()
    )
    assert "Emails not sent" not in html and "confirmation email" not in html


def test_the_roster_shows_whose_session_email_was_not_sent(coordinator_user, info_session):
    with mail_server_down:
        register_person(info_session, "Ana", "ana@example.com")
    html = (
        signed_in(coordinator_user)
        .get(reverse("info_sessions:roster", args=[info_session.pk]))
        .content.decode()
    )
    assert "Emails not sent" in html
    assert "Session seat confirmation" in html and "SMTPException" in html
    delivery = EmailDelivery.objects.get(kind="session_confirmation")
    assert reverse("consultation_emails:retry", args=[delivery.pk]) in html
    problems = html.split("Emails not sent", 1)[1].split("<h2>Registered</h2>", 1)[0]
    assert "Ana" in problems


def test_the_agenda_counts_and_lists_emails_not_sent(failed_booking, coordinator_user):
    html = signed_in(coordinator_user).get(reverse("consultation_agenda:index")).content.decode()
    assert "2 emails not sent" in html
    assert "Confirmation to the client" in html
    assert reverse("consultation_agenda:call", args=[failed_booking.pk]) in html


def test_the_admin_dashboard_lists_emails_not_sent_to_coordinators(
    failed_booking, coordinator_user
):
    html = signed_in(coordinator_user).get(reverse("wagtailadmin_home")).content.decode()
    assert "2 emails not sent" in html
    assert "Confirmation to the client" in html and "New-booking notice to staff" in html
    # The panel names no one (its booking link does); the calls panels show the name to use.
    start = html.index('id="email-problems-section"')
    problems = html[start : html.index("</section>", start)]
    assert reverse("consultation_agenda:call", args=[failed_booking.pk]) in problems
    assert "robin@example.com" not in problems and "Robin Testperson" not in problems
    assert "robin@example.com" not in html


def test_editors_see_no_failed_emails_and_cannot_retry(failed_booking, editor_user):
    editor = signed_in(editor_user)
    dashboard = editor.get(reverse("wagtailadmin_home"))
    assert dashboard.status_code == 200
    html = dashboard.content.decode()
    assert "not sent" not in html and "Confirmation to the client" not in html
    assert editor.get(reverse("consultation_emails:index")).status_code in (302, 403)
    confirmation = EmailDelivery.objects.get(kind=CONFIRMATION)
    retry = reverse("consultation_emails:retry", args=[confirmation.pk])
    assert editor.post(retry).status_code in (302, 403)
    confirmation.refresh_from_db()
    assert confirmation.status == EmailDelivery.Status.RETRYING


# --- retry ----------------------------------------------------------------------------------


def test_retry_sends_a_failed_email_once_the_mail_server_works_again(
    failed_booking, coordinator_user
):
    confirmation = fail_for_good(EmailDelivery.objects.get(kind=CONFIRMATION))
    coordinator = signed_in(coordinator_user)
    call_page = reverse("consultation_agenda:call", args=[failed_booking.pk])
    response = coordinator.post(
        reverse("consultation_emails:retry", args=[confirmation.pk]), {"next": call_page}
    )
    assert response.status_code == 302 and response["Location"] == call_page
    confirmation.refresh_from_db()
    assert confirmation.status == EmailDelivery.Status.SENT
    assert [m.to for m in mail.outbox] == [["robin@example.com"]]
    entry = ModelLogEntry.objects.get(action="consultations.email_retry")
    assert entry.object_id == str(failed_booking.pk) and entry.user == coordinator_user
    assert "could not be sent" not in coordinator.get(call_page).content.decode()
    history = coordinator.get(reverse("consultation_bookings:history", args=[failed_booking.pk]))
    assert "Confirmation to the client" in history.content.decode()


def test_retry_while_the_mail_server_is_still_down_keeps_the_email_visible(
    failed_booking, coordinator_user
):
    confirmation = fail_for_good(EmailDelivery.objects.get(kind=CONFIRMATION))
    with mail_server_down:
        signed_in(coordinator_user).post(
            reverse("consultation_emails:retry", args=[confirmation.pk])
        )
    confirmation.refresh_from_db()
    assert confirmation.status == EmailDelivery.Status.FAILED
    assert confirmation.attempts == MAX_ATTEMPTS + 1


def test_retry_of_an_email_already_sent_sends_nothing(coordinator, coordinator_user):
    book_as_client()
    confirmation = EmailDelivery.objects.get(kind=CONFIRMATION)
    assert confirmation.status == EmailDelivery.Status.SENT
    mail.outbox.clear()
    coordinator = signed_in(coordinator_user)
    response = coordinator.post(reverse("consultation_emails:retry", args=[confirmation.pk]))
    assert response.status_code == 302
    assert not mail.outbox
    assert not ModelLogEntry.objects.filter(action="consultations.email_retry").exists()
    assert (
        coordinator.get(reverse("consultation_emails:retry", args=[confirmation.pk])).status_code
        == 405
    )


# --- the deliveries list --------------------------------------------------------------------


def test_deliveries_list_shows_labels_bookings_and_no_addresses(
    failed_booking, coordinator_user, info_session
):
    register_person(info_session, "Ana", "ana@example.com")
    index = signed_in(coordinator_user).get(reverse("consultation_emails:index"))
    html = listing(index.content.decode())
    for label in (
        "Confirmation to the client",
        "New-booking notice to staff",
        "Reminder to the client",
        "Session seat confirmation",
    ):
        assert label in html, label
    assert "consultation_confirmation" not in html
    assert reverse("consultation_agenda:call", args=[failed_booking.pk]) in html
    assert reverse("info_sessions:roster", args=[info_session.pk]) in html
    assert info_session.title in html
    for personal in ("robin@example.com", "ana@example.com", "Robin Testperson"):
        assert personal not in html, personal
    confirmation = EmailDelivery.objects.get(kind=CONFIRMATION)
    assert reverse("consultation_emails:retry", args=[confirmation.pk]) in html
    sent = EmailDelivery.objects.get(kind="session_confirmation")
    assert reverse("consultation_emails:retry", args=[sent.pk]) not in html


def test_deliveries_list_filters_by_status_and_kind(failed_booking, coordinator_user):
    coordinator = signed_in(coordinator_user)
    index = reverse("consultation_emails:index")
    retrying = listing(coordinator.get(index, {"status": "retrying"}).content.decode())
    assert "Confirmation to the client" in retrying and "Reminder to the client" not in retrying
    reminders = listing(coordinator.get(index, {"kind": "consultation_reminder"}).content.decode())
    assert "Reminder to the client" in reminders
    assert "Confirmation to the client" not in reminders


def test_deliveries_have_no_edit_form_only_their_page(failed_booking, coordinator_user):
    coordinator = signed_in(coordinator_user)
    confirmation = EmailDelivery.objects.get(kind=CONFIRMATION)
    html = coordinator.get(reverse("consultation_emails:index")).content.decode()
    assert f"/edit/{confirmation.pk}/" not in html
    inspect = reverse("consultation_emails:inspect", args=[confirmation.pk])
    assert inspect in html
    page = coordinator.get(inspect)
    assert page.status_code == 200 and "SMTPException" in page.content.decode()
    index = reverse("consultation_emails:index")
    for path in (
        f"{index}edit/{confirmation.pk}/",
        f"{index}new/",
        f"{index}delete/{confirmation.pk}/",
    ):
        assert coordinator.post(path, {"status": "sent"}).status_code == 404, path
    confirmation.refresh_from_db()
    assert confirmation.status == EmailDelivery.Status.RETRYING


def test_deliveries_list_query_count_does_not_grow_with_rows(
    coordinator, coordinator_user, info_session, django_assert_max_num_queries
):
    coordinator_client = signed_in(coordinator_user)
    url = reverse("consultation_emails:index")
    book_as_client()
    register_person(info_session, "Ana", "ana@example.com")
    coordinator_client.get(url)
    with django_assert_max_num_queries(40) as few:
        coordinator_client.get(url)
    few_rows = len(few.captured_queries)  # read now: each request empties the query log
    for index in range(4):
        values = booking_data(
            open_values()[index], phone=f"+1323555012{index}", idempotency_key=str(uuid.uuid4())
        )
        assert Client().post(reverse("consultations:book"), values).status_code == 302
        register_person(info_session, f"Person {index}", f"p{index}@example.com")
    assert EmailDelivery.objects.count() > 12
    with django_assert_max_num_queries(few_rows):
        coordinator_client.get(url)


# --- what clients are told ------------------------------------------------------------------


def test_the_booked_page_says_an_email_will_come_not_that_it_was_sent(coordinator):
    client = Client()
    with mail_server_down:
        response = client.post(
            reverse("consultations:book"),
            booking_data(open_values()[0], phone="+13235550177", email="sam@example.com"),
            follow=True,
        )
    html = response.content.decode()
    assert "Your call is booked" in html
    assert "We'll email a confirmation to <strong>sam@example.com</strong>" in html
    assert "hasn't arrived in a few minutes" in html
    assert "We've sent" not in html


def test_a_repeat_registration_page_says_an_email_will_come(info_session):
    register_person(info_session, "Sky", "sky@example.com")
    response = Client().post(
        reverse("consultations:session_detail", args=[info_session.slug]),
        {
            "name": "Sky",
            "email": "sky@example.com",
            "consent": "on",
            "website": "",
            "idempotency_key": str(uuid.uuid4()),
        },
        follow=True,
    )
    html = response.content.decode()
    assert "We'll email the details of your place" in html
    assert "hasn't arrived in a few minutes" in html
    assert "We've sent" not in html
