"""Background email sending (django-tasks; the database backend's worker runs in `make run`).
A failing mail server never touches the booking: the delivery is marked retrying, tried again
with growing delays, and marked failed (visible in the admin) after MAX_ATTEMPTS."""

import logging

from django.utils import timezone
from django_tasks import task

from .models import EmailDelivery

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def enqueue_delivery(delivery: EmailDelivery, *, run_after=None) -> None:
    enqueue_deliveries([delivery], run_after=run_after)


def enqueue_deliveries(deliveries: list[EmailDelivery], *, run_after=None) -> None:
    """One task for deliveries due at the same time (one row with the database backend)."""
    backend = send_deliveries.get_backend()
    if run_after is not None and run_after > timezone.now():
        if not backend.supports_defer:
            return  # left queued; `send_due_emails` picks them up when due
        backend_task = send_deliveries.using(run_after=run_after)
    else:
        backend_task = send_deliveries
    backend_task.enqueue([delivery.pk for delivery in deliveries])


@task()
def send_deliveries(delivery_ids: list[int]) -> list[str]:
    return [deliver(delivery_id) for delivery_id in delivery_ids]


@task()
def send_delivery(delivery_id: int) -> str:
    """Kept for tasks queued one delivery at a time before `send_deliveries`."""
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
