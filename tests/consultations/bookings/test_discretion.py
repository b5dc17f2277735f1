""" "Keep it discreet" and the calendar invites, as a client receives them.

Every email a discreet booking or registration can receive is sent through the real queue and
read the way someone looking over the client's shoulder would: subject, headers, text, HTML and
the attached invite. Every `.ics` the site makes, emailed or downloaded, is parsed strictly and
held to the RFC 5546 (iTIP) rules calendar apps rely on."""

import re
from email.utils import parseaddr

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from consultations.calls import actions as booking
from consultations.calls.slots import parse_slot_value
from consultations.factories import build_info_session
from consultations.models import Consultation, InfoSession, SessionRegistration
from consultations.sessions import actions as sessions
from kindman.models import EmailDelivery, PracticeSettings
from kindman.tasks import send_delivery
from tests.consultations.helpers import booking_data, open_values

NEUTRAL_SENDER = "Appointments <notices@neutral-mail.example>"
CLIENT = "robin@example.com"
JOIN_URL = "https://video.example/j/room-4821"

CALL_DETAILS = {
    "name": "Robin Testperson",
    "pronouns": "they/them",
    "phone": "+13235550199",
    "email": CLIENT,
    "interest": "online",
    "state": "CA",
    "note": "",
    "best_times": "",
}


@pytest.fixture(autouse=True)
def neutral_sender(settings):
    """What docs/data-protection.md asks operators to set: a sender on a neutral domain."""
    settings.CONSULTATION_DISCREET_FROM_EMAIL = NEUTRAL_SENDER


# --- reading a message ------------------------------------------------------------------------


def _domain(address: str) -> str:
    return parseaddr(address)[1].rpartition("@")[2]


def invite_bytes(message) -> bytes:
    [part] = message.attachments
    assert part.get_content_type() == "text/calendar"
    return part.get_payload(decode=True)


def _unfolded(ics: bytes) -> str:
    return ics.decode().replace("\r\n ", "")


def what_a_reader_sees(message) -> dict[str, str]:
    """Everything of the message a person or a mail client shows, headers included."""
    mime = message.message()
    seen = {
        "headers": "\n".join(f"{name}: {value}" for name, value in mime.items()),
        "from": message.from_email,
        "subject": message.subject,
        "text": message.body,
        "html": message.alternatives[0].content,
    }
    for index, part in enumerate(message.attachments):
        headers = "\n".join(f"{name}: {value}" for name, value in part.items())
        seen[f"attachment {index}"] = headers + "\n" + _unfolded(part.get_payload(decode=True))
    return seen


def giveaways(extra=()) -> list[str]:
    """Words that tell a reader what the email is about or who sent it."""
    practice = PracticeSettings.load()
    return [
        practice.name,
        "Kindman",
        _domain(practice.email),
        _domain(settings.DEFAULT_FROM_EMAIL),
        practice.phone,
        re.sub(r"\D", "", practice.phone),
        practice.phone[-8:],  # "555-0142"
        practice.crisis_text,
        "therap",  # therapy, therapist, therapeutic
        "crisis",
        "consultation",
        "coordinator",
        "counsel",
        *extra,
    ]


def assert_discreet(message, *, links=(), extra=()):
    """Nothing in the message names the practice, therapy or crisis services. Links may only be
    the ones the client needs (they point at the site, whose hostname the operator chooses)."""
    for where, text in what_a_reader_sees(message).items():
        found_links = set(re.findall(r"https?://[^\s\"<>]+", text))
        assert found_links <= set(links), (where, found_links - set(links))
        for link in links:
            text = text.replace(link, "")
        lowered = text.lower()
        for word in giveaways(extra):
            assert word.lower() not in lowered, (where, word, text)
        # The crisis line's numbers, standing alone (not inside a token or a date).
        assert not re.search(r"(?<![\w.=-])(988|911)(?![\w.=-])", text), (where, text)


def client_mail(address=CLIENT):
    return [m for m in mail.outbox if m.to == [address]]


# --- strict invites ---------------------------------------------------------------------------


def assert_itip(ics: bytes, *, method: str, organizer: str, recipient: str = "") -> None:
    """Parse strictly and check the RFC 5546 rules for one VEVENT sent by `organizer`:
    REQUEST and CANCEL name exactly their one recipient as ATTENDEE (3.2.2, 3.2.5); PUBLISH
    names none (3.2.1); every method has an ORGANIZER, UID, DTSTAMP (UTC) and SEQUENCE; times
    carry a TZID whose VTIMEZONE is included (RFC 5545 3.2.19)."""
    lines = ics.split(b"\r\n")
    assert lines[-1] == b"", "an iCalendar stream ends with CRLF"
    assert all(len(line) <= 75 for line in lines), "lines are folded at 75 octets"
    assert b"\n" not in b"".join(lines), "every line ends with CRLF"
    calendar = Calendar.from_ical(ics)
    calendar.validate()
    for component in calendar.walk():
        assert not component.errors, (component.name, component.errors)

    assert str(calendar["METHOD"]) == method
    assert str(calendar["VERSION"]) == "2.0" and calendar.get("PRODID")
    [event] = calendar.walk("VEVENT")
    for name in ("UID", "DTSTAMP", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY", "ORGANIZER"):
        assert name in event, name
    assert event.decoded("DTSTAMP").utcoffset().total_seconds() == 0
    assert b"DTSTAMP:" in ics and re.search(rb"\r\nDTSTAMP:\d{8}T\d{6}Z\r\n", ics)
    assert str(event["ORGANIZER"]).lower() == f"mailto:{organizer}".lower()

    attendees = event.get("ATTENDEE", [])
    attendees = attendees if isinstance(attendees, list) else [attendees]
    if method == "PUBLISH":
        assert attendees == [], "a PUBLISH must not have attendees"
    else:
        assert method in ("REQUEST", "CANCEL")
        assert [str(a).lower() for a in attendees] == [f"mailto:{recipient}".lower()]
    if method == "CANCEL":
        assert str(event["STATUS"]) == "CANCELLED"

    zones = {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}
    for name in ("DTSTART", "DTEND"):
        assert event[name].params["TZID"] in zones, name
        assert event.decoded(name).tzinfo is not None


def assert_emailed_invite(message) -> None:
    [part] = message.attachments
    method = part.get_param("method")
    assert_itip(
        invite_bytes(message),
        method=method,
        organizer=parseaddr(message.from_email)[1],
        recipient=message.to[0],
    )


# --- calls ------------------------------------------------------------------------------------


def _book(slot_index=-1, **overrides) -> Consultation:
    start = parse_slot_value(open_values()[slot_index])
    consultation, _ = booking.book(start=start, details={**CALL_DETAILS, **overrides})
    return consultation


def _send_reminder_now(consultation) -> None:
    reminder = EmailDelivery.objects.get(
        kind="consultation_reminder", object_id=consultation.pk, status="queued"
    )
    EmailDelivery.objects.filter(pk=reminder.pk).update(send_after=timezone.now())
    send_delivery.call(reminder.pk)


def every_call_email(**details) -> list:
    """Confirmation, reminder, rescheduled and cancelled, in that order, through the queue."""
    consultation = _book(**details)
    _send_reminder_now(consultation)
    moved = booking.reschedule(consultation, start=parse_slot_value(open_values()[-3]))
    booking.cancel(moved)
    messages = client_mail()
    assert len(messages) == 4, [m.subject for m in messages]
    return messages


def test_every_discreet_call_email_keeps_the_practice_and_its_purpose_unnamed(coordinator):
    messages = every_call_email(discreet=True)
    consultation = Consultation.objects.get()
    for message in messages:
        manage_links = set(re.findall(r"https?://\S+/consultation/manage/\S+/", message.body))
        assert_discreet(message, links=manage_links)
    assert [m.attachments[0].get_param("method") for m in messages] == [
        "REQUEST",
        "REQUEST",
        "REQUEST",
        "CANCEL",
    ]
    assert str(consultation.public_id) in _unfolded(invite_bytes(messages[0]))


def test_discreet_call_emails_come_from_the_discreet_sender_and_its_domain(coordinator):
    for message in every_call_email(discreet=True):
        assert message.from_email == NEUTRAL_SENDER
        message_id = message.message()["Message-ID"]
        assert message_id.endswith("@neutral-mail.example>"), message_id
        event = Calendar.from_ical(invite_bytes(message)).walk("VEVENT")[0]
        assert str(event["ORGANIZER"]) == "mailto:notices@neutral-mail.example"


def test_call_invites_keep_one_uid_without_the_practices_domain(coordinator):
    uids = set()
    for message in every_call_email(discreet=True):
        uids.add(str(Calendar.from_ical(invite_bytes(message)).walk("VEVENT")[0]["UID"]))
    [uid] = uids
    assert uid == str(Consultation.objects.get().public_id)
    assert "@" not in uid


@pytest.mark.parametrize("discreet", [True, False])
def test_every_emailed_call_invite_is_a_valid_itip_message_to_its_recipient(coordinator, discreet):
    for message in every_call_email(discreet=discreet):
        assert_emailed_invite(message)


def test_plain_call_emails_keep_the_crisis_line_and_the_practices_name(coordinator):
    practice = PracticeSettings.load()
    for message in every_call_email():
        assert practice.crisis_text in message.body
        assert practice.crisis_text in message.alternatives[0].content
        assert message.from_email == settings.DEFAULT_FROM_EMAIL
    event = Calendar.from_ical(invite_bytes(client_mail()[0])).walk("VEVENT")[0]
    assert practice.name in str(event["SUMMARY"])
    assert str(event["ORGANIZER"]) == f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}"


@pytest.mark.parametrize("discreet", [True, False])
def test_downloaded_call_invites_are_published_without_attendees(client, coordinator, discreet):
    data = booking_data(open_values(1)[0], email="", discreet="on" if discreet else None)
    client.post("/consultation/", data)
    consultation = Consultation.objects.get()
    assert consultation.discreet is discreet
    organizer = parseaddr(NEUTRAL_SENDER if discreet else settings.DEFAULT_FROM_EMAIL)[1]
    for url in (
        reverse("consultations:booked_invite", args=[consultation.public_id]),
        reverse("consultations:manage_invite", args=[consultation.manage_token]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_itip(response.content, method="PUBLISH", organizer=organizer)
        if discreet:
            assert "kindman" not in response.content.decode().lower()


def _care_coordinator():
    user = User.objects.create_user(username="carer", password="pw-not-secret-123")
    user.groups.add(Group.objects.get(name="Care coordinators"))
    return user


def test_staff_marking_a_call_discreet_updates_the_same_calendar_entry(client, coordinator):
    consultation = _book(0)
    client.force_login(_care_coordinator())
    new_start = parse_slot_value(open_values()[6]).astimezone(consultation.starts_at_local.tzinfo)
    response = client.post(
        reverse("consultation_bookings:edit", args=[consultation.pk]),
        {
            "status": consultation.status,
            "coordinator": consultation.coordinator_id,
            "starts_at": new_start.strftime("%Y-%m-%d %H:%M"),
            "name": consultation.name,
            "pronouns": "",
            "phone": consultation.phone,
            "email": CLIENT,
            "best_times": "",
            "discreet": "on",
            "interest": consultation.interest,
            "state": "CA",
            "note": "",
        },
    )
    assert response.status_code == 302
    first, moved = client_mail()
    events = [Calendar.from_ical(invite_bytes(m)).walk("VEVENT")[0] for m in (first, moved)]
    assert str(events[0]["UID"]) == str(events[1]["UID"])
    assert [int(e["SEQUENCE"]) for e in events] == [0, 1]
    assert str(events[1]["SUMMARY"]) == "Phone call"
    assert_discreet(
        moved, links=set(re.findall(r"https?://\S+/consultation/manage/\S+/", moved.body))
    )
    assert_emailed_invite(moved)


# --- information sessions ---------------------------------------------------------------------


def _details(name: str, *, discreet: bool) -> dict:
    return {
        "name": name,
        "email": f"{name.lower()}@example.com",
        "pronouns": "",
        "discreet": discreet,
    }


def every_session_email(session, *, discreet: bool) -> dict[str, list]:
    """Confirmation, waitlisted, already registered, cancelled and promoted, through the
    queue, keyed by recipient."""
    ana, _ = sessions.register(session, details=_details("Ana", discreet=discreet))
    sessions.register(session, details=_details("Ben", discreet=discreet))
    sessions.register(session, details=_details("Ben", discreet=discreet))  # already registered
    sessions.cancel(ana)
    by_recipient = {
        "ana": client_mail("ana@example.com"),
        "ben": client_mail("ben@example.com"),
    }
    assert len(by_recipient["ana"]) == 2 and len(by_recipient["ben"]) == 3, [
        m.subject for m in mail.outbox
    ]
    return by_recipient


def _session_links(session, message) -> set[str]:
    """The session list, the recipient's manage link (as it was when sent) and a seat's join
    link."""
    origin = settings.PUBLIC_ORIGIN
    manage = rf"{origin}{reverse('consultations:session_list')}manage/[\w-]+/"
    links = {f"{origin}{reverse('consultations:session_list')}"}
    links |= set(re.findall(manage, message.body))
    not_me = rf"{origin}{reverse('consultations:session_list')}not-me/[\w-]+/"
    links |= set(re.findall(not_me, message.body))
    if session.join_url:
        links.add(session.join_url)
    return links


@pytest.fixture
def in_person(home_page):
    return build_info_session(capacity=1)


@pytest.fixture
def online(home_page):
    return build_info_session(
        title="Finding a therapist who gets it: an online evening",
        slug="online-evening",
        audience="For people new to therapy",
        format=InfoSession.Format.ONLINE,
        place="",
        join_url=JOIN_URL,
        capacity=1,
    )


@pytest.mark.parametrize("which", ["in_person", "online"])
def test_every_discreet_session_email_keeps_the_practice_and_the_session_unnamed(request, which):
    session = request.getfixturevalue(which)
    sent = every_session_email(session, discreet=True)
    words = [session.title, session.audience, "sex work"]
    for message in [*sent["ana"], *sent["ben"]]:
        assert_discreet(message, links=_session_links(session, message), extra=words)
        assert message.from_email == NEUTRAL_SENDER
        assert message.message()["Message-ID"].endswith("@neutral-mail.example>")
        for part in message.attachments:
            event = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]
            assert str(event["UID"]) == str(
                SessionRegistration.objects.get(email=message.to[0]).public_id
            )


@pytest.mark.parametrize("discreet", [True, False])
def test_every_emailed_session_invite_is_a_valid_itip_message_to_its_recipient(in_person, discreet):
    sent = every_session_email(in_person, discreet=discreet)
    methods = []
    for message in [*sent["ana"], *sent["ben"]]:
        if message.attachments:
            assert_emailed_invite(message)
            methods.append(message.attachments[0].get_param("method"))
    # Ana's confirmation and cancellation, Ben's promotion (a waitlist place has no invite).
    assert sorted(methods) == ["CANCEL", "REQUEST", "REQUEST"]


def test_plain_session_emails_keep_the_crisis_line(in_person):
    crisis = PracticeSettings.load().crisis_text
    sent = every_session_email(in_person, discreet=False)
    for message in [*sent["ana"], *sent["ben"]]:
        assert crisis in message.body and crisis in message.alternatives[0].content
        assert message.from_email == settings.DEFAULT_FROM_EMAIL


@pytest.mark.parametrize("discreet", [True, False])
def test_downloaded_session_invites_are_published_without_attendees(client, in_person, discreet):
    form = {
        "name": "Sky Testperson",
        "email": "sky@example.com",
        "pronouns": "",
        "consent": "on",
        "website": "",
        "idempotency_key": "6f1c1d7e-4a43-4f5e-9a86-1f6c0c9e2b11",
    }
    if discreet:
        form["discreet"] = "on"
    client.post(reverse("consultations:session_detail", args=[in_person.slug]), form)
    registration = SessionRegistration.objects.get()
    assert registration.discreet is discreet
    organizer = parseaddr(NEUTRAL_SENDER if discreet else settings.DEFAULT_FROM_EMAIL)[1]
    for url in (reverse("consultations:session_manage_invite", args=[registration.manage_token]),):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_itip(response.content, method="PUBLISH", organizer=organizer)
        if discreet:
            text = response.content.decode().lower()
            assert "kindman" not in text and "therap" not in text
