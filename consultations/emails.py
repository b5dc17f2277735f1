"""Outgoing email, sent outside the request by a background task (`consultations.tasks`).

Shared by consultations and information sessions:
- `queue_email(kind, obj, sequence=..., send_after=...)` records an `EmailDelivery` and enqueues
  the one task that sends it. Call it inside the transaction that changes `obj`: with the
  database task backend the queued job commits (or rolls back) together with the booking.
- `@email_builder(kind)` registers `build(delivery, obj) -> EmailMessage | None`. The task calls it
  when sending, so the message reflects the booking as it is then; returning None (the booking
  was cancelled, moved or is past) marks the delivery skipped.
- `render_email(...)` renders `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html` into a
  plain-text + HTML message.
- A "keep it discreet" booking's emails and invites come from `discreet_from_email()` and
  their templates leave out everything that says who sent them or what they are about: the
  practice's name, therapy, the crisis line (`client_sender`, the `discreet` template flag).
Deliveries store no personal data (addresses and text are rebuilt from `obj` at send time)."""

from datetime import datetime
from email.mime.text import MIMEText
from email.utils import formataddr, make_msgid, parseaddr

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .timezones import PRACTICE_TZ, PRACTICE_TZ_LABEL

BUILDERS = {}


def email_builder(kind: str):
    def register(function):
        BUILDERS[kind] = function
        return function

    return register


def queue_email(kind: str, obj=None, *, sequence: int = 0, send_after: datetime | None = None):
    """Record one delivery and enqueue its task; returns the saved delivery."""
    from .models import EmailDelivery
    from .tasks import enqueue_delivery

    delivery = EmailDelivery.objects.create(
        kind=kind,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=obj.pk if obj is not None else None,
        sequence=sequence,
        send_after=send_after,
    )
    enqueue_delivery(delivery, run_after=send_after)
    return delivery


def render_email(
    prefix: str, context: dict, *, to: list[str], from_email: str | None = None
) -> EmailMultiAlternatives:
    subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
    text = render_to_string(f"{prefix}.txt", context)
    html = render_to_string(f"{prefix}.html", context)
    from_email = from_email or settings.DEFAULT_FROM_EMAIL
    # Django would name this machine in the Message-ID; the sender's own domain names nothing
    # more than the From line already does.
    message_id = make_msgid(domain=parseaddr(from_email)[1].rpartition("@")[2])
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email,
        to=to,
        headers={"Message-ID": message_id},
    )
    message.attach_alternative(html, "text/html")
    return message


def site_url(path: str) -> str:
    """An absolute URL on the public site (emails have no request)."""
    from kindman.origin import public_url

    return public_url(path)


def admin_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def format_local(moment: datetime) -> str:
    """'Tuesday, December 1, 2026 at 10:00 AM Pacific Time (Los Angeles)'."""
    local = moment.astimezone(PRACTICE_TZ)
    return f"{local:%A, %B} {local.day}, {local.year} at {local:%-I:%M %p} {PRACTICE_TZ_LABEL}"


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


# --- consultation emails ----------------------------------------------------------------------


def _client_context(consultation) -> dict:
    from kindman.models import PracticeSettings

    practice = PracticeSettings.load()
    return {
        "consultation": consultation,
        "discreet": consultation.discreet,
        "when": format_local(consultation.starts_at),
        "minutes": round((consultation.ends_at - consultation.starts_at).total_seconds() / 60),
        "manage_url": site_url(reverse("consultations:manage", args=[consultation.manage_token])),
        "practice_name": practice.name,
        "practice_phone": practice.phone,
        "crisis_text": practice.crisis_text,
    }


def _client_message(prefix: str, consultation, *, method: str, extra: dict | None = None):
    from .ics import consultation_invite

    context = {**_client_context(consultation), **(extra or {})}
    message = render_email(
        prefix,
        context,
        to=[consultation.email],
        from_email=client_sender(consultation),
    )
    message.attach(calendar_part(consultation_invite(consultation, method=method), method))
    return message


def calendar_part(invite: bytes, method: str) -> MIMEText:
    """An `.ics` attachment calendar clients recognise (text/calendar with its METHOD)."""
    part = MIMEText(invite.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


def _live(delivery, consultation) -> bool:
    """Still worth telling the client: upcoming, not cancelled, not moved since queued."""
    return (
        bool(consultation.email)
        and consultation.is_manageable(timezone.now())
        and delivery.sequence == consultation.ics_sequence
    )


@email_builder("consultation_confirmation")
def build_confirmation(delivery, consultation):
    if not _live(delivery, consultation):
        return None
    return _client_message(
        "consultations/email/confirmation", consultation, method="REQUEST", extra={"moved": False}
    )


@email_builder("consultation_rescheduled")
def build_rescheduled(delivery, consultation):
    if not _live(delivery, consultation):
        return None
    return _client_message(
        "consultations/email/confirmation", consultation, method="REQUEST", extra={"moved": True}
    )


@email_builder("consultation_reminder")
def build_reminder(delivery, consultation):
    if not _live(delivery, consultation):
        return None
    return _client_message("consultations/email/reminder", consultation, method="REQUEST")


@email_builder("consultation_cancelled")
def build_cancelled(delivery, consultation):
    if not consultation.email or consultation.status != consultation.Status.CANCELLED:
        return None
    return _client_message("consultations/email/cancelled", consultation, method="CANCEL")


def _staff_message(delivery, consultation, event: str):
    """Only a link into the admin: never the client's name, phone, email or note."""
    context = {
        "event": event,
        "admin_url": admin_url(reverse("consultation_bookings:edit", args=[consultation.pk])),
    }
    return render_email("consultations/email/staff_notification", context, to=staff_recipients())


@email_builder("consultation_staff_new")
def build_staff_new(delivery, consultation):
    return _staff_message(delivery, consultation, "A new consultation call was booked.")


@email_builder("consultation_staff_cancelled")
def build_staff_cancelled(delivery, consultation):
    return _staff_message(delivery, consultation, "A consultation call was cancelled.")


@email_builder("consultation_staff_rescheduled")
def build_staff_rescheduled(delivery, consultation):
    return _staff_message(delivery, consultation, "A consultation call was moved.")
