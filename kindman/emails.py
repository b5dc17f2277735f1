"""The outbox: every email the site sends goes through here, so staff see what was sent, what
failed and what is retrying (Consultations → Email deliveries).

- `@email_builder(kind, label)` registers `build(delivery, obj) -> EmailMessage | None` for one
  kind of email. The task calls it when sending, so the message reflects `obj` as it is then;
  returning None (the booking was cancelled, moved or is past) marks the delivery skipped. Apps
  register their builders when they are ready (their AppConfig.ready).
- `queue_email(kind, obj, sequence=..., send_after=...)` records an `EmailDelivery` and enqueues
  the one task that sends it (`kindman.tasks.send_delivery`). Call it inside the transaction
  that changes `obj`: with the database task backend the job commits or rolls back with it.
- `render_email(prefix, context, to=, from_email=)` renders `<prefix>_subject.txt`,
  `<prefix>.txt` and `<prefix>.html` into a plain-text and HTML message.
Deliveries store no personal data: addresses and text are rebuilt from `obj` when sent."""

from collections.abc import Callable
from datetime import datetime
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string

BUILDERS: dict[str, Callable] = {}
LABELS: dict[str, str] = {}


def email_builder(kind: str, label: str):
    """Register the function that builds emails of `kind`; `label` names it for staff."""

    def register(function: Callable[..., EmailMessage | None]):
        BUILDERS[kind] = function
        LABELS[kind] = label
        return function

    return register


def kind_label(kind: str) -> str:
    return LABELS.get(kind, kind)


def queue_email(
    kind: str,
    obj=None,
    *,
    sequence: int = 0,
    send_after: datetime | None = None,
    details: dict | None = None,
):
    """Record one delivery and enqueue its task; returns the saved delivery."""
    from .models import EmailDelivery
    from .tasks import enqueue_delivery

    if kind not in BUILDERS:
        raise ValueError(f"No email builder is registered for {kind!r}.")
    delivery = EmailDelivery.objects.create(
        kind=kind,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=obj.pk if obj is not None else None,
        sequence=sequence,
        send_after=send_after,
        details=details or {},
    )
    enqueue_delivery(delivery, run_after=send_after)
    return delivery


def render_email(
    prefix: str,
    context: dict,
    *,
    to: list[str],
    from_email: str | None = None,
    headers: dict | None = None,
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
        headers={"Message-ID": message_id, **(headers or {})},
    )
    message.attach_alternative(html, "text/html")
    return message
