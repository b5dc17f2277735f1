"""What a client's emails about any booking share: the sender (neutral when they asked for
discretion), times in Pacific time, the staff's address, links and the invite attachment."""

from email.mime.text import MIMEText
from email.utils import formataddr, parseaddr

from django.conf import settings


def admin_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def discreet_from_email() -> str:
    """A sender with a neutral display name (no practice name). Its address is the practice's
    unless the operator sets a neutral one (docs/data-protection.md)."""
    configured = getattr(settings, "CONSULTATION_DISCREET_FROM_EMAIL", "")
    if configured:
        return configured
    return formataddr(("Appointments", parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def client_sender(booking) -> str:
    """The From of a client's emails and the ORGANIZER of their invites."""
    return discreet_from_email() if booking.discreet else settings.DEFAULT_FROM_EMAIL


def staff_recipients() -> list[str]:
    from kindman.models import PracticeSettings

    configured = list(getattr(settings, "CONSULTATION_NOTIFY_EMAILS", []) or [])
    return configured or [PracticeSettings.load().email]


def calendar_part(invite: bytes, method: str) -> MIMEText:
    """An `.ics` attachment calendar clients recognise (text/calendar with its METHOD)."""
    part = MIMEText(invite.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part
