"""Session emails go through the shared EmailDelivery machinery and are rebuilt at send time."""

from django.core import mail

from consultations.factories import build_info_session
from consultations.models import SessionRegistration
from consultations.sessions import actions as sessions
from kindman import emails
from kindman.models import EmailDelivery


def details(name):
    return {"name": name, "email": f"{name.lower()}@example.com", "pronouns": "", "discreet": False}


def test_each_session_email_is_a_delivery_row_without_personal_data(home_page):
    session = build_info_session(capacity=1)
    sessions.register(session, details=details("Ana"))
    sessions.register(session, details=details("Ben"))
    deliveries = EmailDelivery.objects.order_by("pk")
    assert [d.kind for d in deliveries] == ["session_confirmation", "session_waitlisted"]
    assert {d.status for d in deliveries} == {EmailDelivery.Status.SENT}
    assert len(mail.outbox) == 2


def test_a_stale_waitlist_email_is_skipped_once_the_person_has_a_seat(home_page):
    session = build_info_session(capacity=1)
    ana, _ = sessions.register(session, details=details("Ana"))
    ben, _ = sessions.register(session, details=details("Ben"))
    sessions.cancel(ana)
    mail.outbox.clear()
    stale = emails.queue_email("session_waitlisted", ben, sequence=0)
    stale.refresh_from_db()
    assert stale.status == EmailDelivery.Status.SKIPPED
    assert mail.outbox == []


def test_emails_to_an_erased_registrant_are_skipped(home_page):
    session = build_info_session(capacity=2)
    ana, _ = sessions.register(session, details=details("Ana"))
    sessions.erase(ana)
    ana = SessionRegistration.objects.get(pk=ana.pk)
    mail.outbox.clear()
    for kind in ("session_confirmation", "session_cancelled", "session_already_registered"):
        delivery = emails.queue_email(kind, ana, sequence=ana.ics_sequence)
        delivery.refresh_from_db()
        assert delivery.status == EmailDelivery.Status.SKIPPED, kind
    assert mail.outbox == []


def test_waitlisted_people_get_no_calendar_file(client, home_page):
    session = build_info_session(capacity=1)
    sessions.register(session, details=details("Ana"))
    ben, _ = sessions.register(session, details=details("Ben"))
    url = f"/info-sessions/manage/{ben.manage_token}/session.ics"
    assert client.get(url).status_code == 404


def test_session_subjects_are_plain_text_not_html_escaped(home_page):
    session = build_info_session(capacity=1, title="Sex Work & Therapy: Q&A")
    sessions.register(session, details=details("Ana"))
    sessions.register(session, details=details("Ben"))
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 2
    assert all("&amp;" not in subject and "Sex Work" not in subject for subject in subjects)
