"""Calendar invites (`.ics`) built with the `icalendar` library. Shared by consultations and
information sessions: one UID per booking for life, SEQUENCE bumped on every change, a
cancellation sent as METHOD:CANCEL with STATUS:CANCELLED. Times carry the practice's TZID with
its VTIMEZONE, so the invite and the email state the same local time.

The ORGANIZER is the address the booking's emails come from (the discreet sender for a discreet
booking). An emailed invite (REQUEST or CANCEL) names its one recipient as ATTENDEE and nobody
else; a downloaded one (PUBLISH) names no attendee (RFC 5546 sections 3.2.1, 3.2.2, 3.2.5)."""

from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

from django.utils import timezone
from icalendar import Calendar, Event

from kindman.timezones import PRACTICE_TZ


def booking_uid(public_id) -> str:
    """The booking's random public id alone: no domain, so nothing in it names the practice,
    and it does not change when staff switch "keep it discreet" (RFC 7986 section 5.3)."""
    return str(public_id)


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
    organizer: str,
    recipient: str = "",
) -> bytes:
    """One VEVENT in a VCALENDAR from `organizer` (a From header) to `recipient` (an address;
    ignored when publishing). `description` must never hold what a client wrote."""
    calendar = Calendar()
    calendar.add("prodid", "-//Appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    method = "CANCEL" if cancelled else method
    calendar.add("method", method)

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
    name, address = parseaddr(organizer)
    event.add("organizer", f"mailto:{address}", parameters={"CN": name} if name else None)
    if method != "PUBLISH" and recipient:
        # The client booked it themselves: accepted, and no reply is expected.
        event.add(
            "attendee",
            f"mailto:{recipient}",
            parameters={
                "CUTYPE": "INDIVIDUAL",
                "ROLE": "REQ-PARTICIPANT",
                "PARTSTAT": "ACCEPTED",
                "RSVP": "FALSE",
            },
        )
    calendar.add_component(event)
    # A VTIMEZONE covering the event's year either side keeps the file small.
    calendar.add_missing_timezones(
        first_date=(start - timedelta(days=366)).date(),
        last_date=(end + timedelta(days=366)).date(),
    )
    return calendar.to_ical()


def practice_name() -> str:
    from kindman.models import PracticeSettings

    return PracticeSettings.load().name
