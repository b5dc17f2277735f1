"""Retention: erase personal data from consultation calls older than 90 days. Run it daily."""

from django.core.management.base import BaseCommand

from consultations.booking import erase_old


class Command(BaseCommand):
    help = "Erase personal data of consultation calls that ended more than 90 days ago."

    def handle(self, *args, **options):
        self.stdout.write(f"Erased {erase_old()} old consultation calls.")
