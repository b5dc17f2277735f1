"""Background email sending (django-tasks; the database backend's worker runs in `make run`).
A failing mail server never touches the booking: the delivery is marked retrying, tried again
with growing delays, and marked failed (visible in the admin) after MAX_ATTEMPTS."""

import logging

from django.conf import settings
from django.utils import timezone, translation
from django_tasks import task

from .models import EmailDelivery

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def enqueue_delivery(delivery: EmailDelivery, *, run_after=None) -> None:
    if (deferred := when_due(send_delivery, run_after)) is not None:
        deferred.enqueue(delivery.pk)


def when_due(task, run_after):
    """`task`, set to run at `run_after` when that is later than now; None when the backend
    cannot defer: the delivery is left queued, and `send_due_emails` picks it up when due."""
    if run_after is None or run_after <= timezone.now():
        return task
    if not task.get_backend().supports_defer:
        return None
    return task.using(run_after=run_after)


def retry(delivery: EmailDelivery) -> bool:
    """Staff's "Retry": a failed or retrying delivery is queued and sent again now, as one more
    attempt (a failed one that fails again stays failed). False when it was sent or skipped
    meanwhile. Call it inside a transaction, as `queue_email`."""
    queued = (
        EmailDelivery.objects.needing_attention()
        .filter(pk=delivery.pk)
        .update(status=EmailDelivery.Status.QUEUED, next_attempt_at=None, updated_at=timezone.now())
    )
    if queued:
        enqueue_delivery(delivery)
    return bool(queued)


@task()
def send_delivery(delivery_id: int) -> str:
    """The one task that sends email: one delivery (`queue_email`, retries, `send_due_emails`)."""
    return deliver(delivery_id)


def deliver(delivery_id: int) -> str:
    """Send one delivery unless it is done, not yet due or no longer wanted; a failure is
    recorded and retried (each delivery on its own, so one bad address holds up no other)."""
    from . import emails

    delivery = EmailDelivery.objects.select_related("content_type").filter(pk=delivery_id).first()
    if delivery is None or delivery.status in (
        EmailDelivery.Status.SENT,
        EmailDelivery.Status.SKIPPED,
        EmailDelivery.Status.FAILED,
    ):
        return "nothing to do"
    now = timezone.now()
    if delivery.send_after and delivery.send_after > now:
        return "not yet due"

    target = delivery.subject_object if delivery.content_type_id else None
    builder = emails.BUILDERS.get(delivery.kind)
    # In the language its subject chose (a booking's), its links to pages in that language too.
    with translation.override(getattr(target, "language", settings.LANGUAGE_CODE)):
        message = builder(delivery, target) if builder and target is not None else None
    if message is None:
        delivery.status = EmailDelivery.Status.SKIPPED
        delivery.save(update_fields=["status", "updated_at"])
        return delivery.status

    delivery.attempts += 1
    try:
        message.send()
    except Exception as error:  # any transport failure: record it, retry later
        delivery.last_error = type(error).__name__[:200]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = EmailDelivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.status = EmailDelivery.Status.RETRYING
            delivery.next_attempt_at = now + delivery.retry_delay
        delivery.save()
        logger.warning(
            "email delivery %s failed (attempt %s): %s",
            delivery.pk,
            delivery.attempts,
            delivery.last_error,
        )
        if delivery.status == EmailDelivery.Status.RETRYING:
            enqueue_delivery(delivery, run_after=delivery.next_attempt_at)
        return delivery.status

    delivery.status = EmailDelivery.Status.SENT
    delivery.sent_at = now
    delivery.last_error = ""
    delivery.next_attempt_at = None
    delivery.save()
    return delivery.status
