"""Safety net for email: (re)queue every delivery that is due and not yet sent, e.g. after the
worker was down. Safe to run from cron at any interval."""

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from kindman.models import EmailDelivery
from kindman.tasks import enqueue_delivery


class Command(BaseCommand):
    help = "Queue email deliveries that are due (queued or retrying)."

    def handle(self, *args, **options):
        now = timezone.now()
        due = EmailDelivery.objects.filter(
            Q(status=EmailDelivery.Status.QUEUED, send_after__isnull=True)
            | Q(status=EmailDelivery.Status.QUEUED, send_after__lte=now)
            | Q(status=EmailDelivery.Status.RETRYING, next_attempt_at__lte=now)
        )
        count = 0
        for delivery in due:
            enqueue_delivery(delivery)
            count += 1
        self.stdout.write(f"Queued {count} email deliveries.")
