"""Retention for newsletter addresses: run daily (cron or the platform's scheduler). Addresses
never confirmed, or unsubscribed, are erased 30 days on; confirmed readers stay until they leave."""

from django.core.management.base import BaseCommand

from blog.models import Subscriber


class Command(BaseCommand):
    help = "Erase newsletter addresses that were never confirmed or have unsubscribed (30 days)."

    def handle(self, *args, **options):
        deleted, _ = Subscriber.objects.stale().delete()
        if options["verbosity"]:
            self.stdout.write(f"Erased {deleted} inactive newsletter address(es).")
