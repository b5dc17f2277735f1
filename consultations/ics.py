"""Calendar invites (`.ics`) built with the `icalendar` library. Shared by consultations and
information sessions: one UID per booking for life, SEQUENCE bumped on every change, a
cancellation sent as METHOD:CANCEL with STATUS:CANCELLED. Times carry the practice's TZID with
its VTIMEZONE, so the invite and the email state the same local time."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .timezones import PRACTICE_TZ

UID_DOMAIN = "kindman.example"


def booking_uid(public_id) -> str:
    return f"{public_id}@{UID_DOMAIN}"


def build_invite(
    *,
    uid: str,
    sequence: int,
    start: datetime,
    end: datetime,
    summary: str,
    method: str = "REQUEST",
    cancelled: bool = False,
    private: bool = False,
    location: str = "",
    description: str = "",
    organizer_email: str = "",
) -> bytes:
    """One VEVENT in a VCALENDAR. `description` must never hold what a client wrote."""
    calendar = Calendar()
    calendar.add("prodid", "-//Appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else method)

    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", start.astimezone(PRACTICE_TZ))
    event.add("dtend", end.astimezone(PRACTICE_TZ))
    event.add("summary", summary)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if private:
        event.add("class", "PRIVATE")
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    if organizer_email:
        event.add("organizer", f"mailto:{organizer_email}")
    calendar.add_component(event)
    # A VTIMEZONE covering the event's year either side keeps the file small.
    calendar.add_missing_timezones(
        first_date=(start - timedelta(days=366)).date(),
        last_date=(end + timedelta(days=366)).date(),
    )
    return calendar.to_ical()


def consultation_summary(consultation) -> str:
    if consultation.discreet:
        return "Phone call"
    return f"Free consultation call with {practice_name()}"


def practice_name() -> str:
    from kindman.models import PracticeSettings

    return PracticeSettings.load().name


def consultation_invite(consultation, *, method: str = "REQUEST") -> bytes:
    """The invite for a consultation in its current state (cancelled ones cancel)."""
    from email.utils import parseaddr

    cancelled = consultation.status == consultation.Status.CANCELLED
    return build_invite(
        uid=booking_uid(consultation.public_id),
        sequence=consultation.ics_sequence,
        start=consultation.starts_at,
        end=consultation.ends_at,
        summary=consultation_summary(consultation),
        method=method,
        cancelled=cancelled,
        private=consultation.discreet,
        description=(
            "We will call you at the number you gave us."
            if consultation.discreet
            else "Our Care Coordinator will call you at the number you gave us."
        ),
        organizer_email=parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
    )
