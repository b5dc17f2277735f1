"""The emails and calendar invites about a seat at an information session. None of them names
the session: an address someone else typed in must not learn that its owner "signed up" for,
say, a session for sex workers. The private manage page names it."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kindman.emails import email_builder, render_email
from kindman.origin import public_url
from kindman.timezones import format_local

from ..bookings.emails import calendar_part, client_sender
from ..bookings.ics import booking_uid, build_invite, practice_name
from .models import SessionRegistration

Status = SessionRegistration.Status


def session_summary(registration: SessionRegistration) -> str:
    """Never the session's title: an address typed in by someone else must not be told that
    its owner signed up for, say, a session for sex workers."""
    if registration.discreet:
        return _("Information session")
    return _("Information session (%(practice)s)") % {"practice": practice_name()}


def shows_join_link(registration: SessionRegistration) -> bool:
    """Only a registered person (not the waitlist, not the public) gets an online join link."""
    return (
        registration.session.is_online
        and registration.status == Status.REGISTERED
        and bool(registration.session.join_url)
    )


def session_invite(registration: SessionRegistration, *, method: str = "REQUEST") -> bytes:
    """This registrant's own invite: the only attendee it names is its own recipient (none at
    all in a download), never anyone else at the session."""
    session = registration.session
    join = shows_join_link(registration)
    if session.is_online:
        location = session.join_url if join else _("Online")
        description = (
            _("Join online: %(link)s") % {"link": session.join_url}
            if join
            else _("Online session.")
        )
    else:
        location = session.place
        description = ""
    return build_invite(
        uid=booking_uid(registration.public_id),
        sequence=registration.ics_sequence,
        start=session.starts_at,
        end=session.ends_at,
        summary=session_summary(registration),
        method=method,
        cancelled=registration.status == Status.CANCELLED,
        private=registration.discreet,
        location=location,
        description=description,
        organizer=client_sender(registration),
        recipient=registration.email,
    )


def _context(registration: SessionRegistration) -> dict:
    from kindman.models import PracticeSettings

    practice = PracticeSettings.load()
    session = registration.session
    return {
        "registration": registration,
        "session": session,
        "discreet": registration.discreet,
        "when": format_local(session.starts_at),
        "place": "" if session.is_online else session.place,
        "join_url": session.join_url if shows_join_link(registration) else "",
        "position": registration.waitlist_position,
        "manage_url": public_url(
            reverse("consultations:session_manage", args=[registration.manage_token])
        ),
        "list_url": public_url(reverse("consultations:session_list")),
        "not_me_url": public_url(
            reverse("consultations:session_not_me", args=[registration.manage_token])
        ),
        "practice_name": practice.name,
        "practice_phone": practice.phone,
        "crisis_text": practice.crisis_text,
    }


def _message(prefix: str, registration: SessionRegistration, *, invite_method: str = ""):
    message = render_email(
        f"consultations/sessions/email/{prefix}",
        _context(registration),
        to=[registration.email],
        from_email=client_sender(registration),
    )
    if invite_method:
        message.attach(
            calendar_part(session_invite(registration, method=invite_method), invite_method)
        )
    return message


def _current(delivery, registration, status) -> bool:
    """Still true when sending: not erased, in this state, session not over, nothing since."""
    return (
        registration.erased_at is None
        and registration.status == status
        and registration.session.starts_at > timezone.now()
        and delivery.sequence == registration.ics_sequence
    )


@email_builder("session_confirmation", "Session seat confirmation")
def build_confirmation(delivery, registration):
    if not _current(delivery, registration, Status.REGISTERED):
        return None
    return _message("confirmation", registration, invite_method="REQUEST")


@email_builder("session_promoted", "Session seat offered from the waitlist")
def build_promoted(delivery, registration):
    if not _current(delivery, registration, Status.REGISTERED):
        return None
    return _message("promoted", registration, invite_method="REQUEST")


@email_builder("session_waitlisted", "Session waitlist notice")
def build_waitlisted(delivery, registration):
    if not _current(delivery, registration, Status.WAITLISTED):
        return None
    return _message("waitlisted", registration)


@email_builder("session_cancelled", "Session registration cancelled")
def build_cancelled(delivery, registration):
    if registration.erased_at or registration.status != Status.CANCELLED:
        return None
    return _message("cancelled", registration, invite_method="CANCEL")


@email_builder("session_already_registered", "Session details again (already registered)")
def build_already_registered(delivery, registration):
    if registration.erased_at or not registration.is_manageable():
        return None
    return _message("already_registered", registration)
