"""Retention: erase the personal fields of calls (through `booking.erase_old`) and session
registrations whose call or session ended more than N days ago (default `settings.BOOKING_RETENTION_DAYS`, 90). The rows stay, with
status, times and attendance, so the practice can still count calls and attendance. Run daily
(e.g. a cron or scheduler calling `manage.py purge_personal_data`); running it again changes
nothing. It also deletes the rate limit's counts (hashed addresses) whose window is over, and
accessibility reports older than their own retention."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from consultations.calls import actions as booking
from consultations.sessions import actions as sessions
from consultations.sessions.models import SessionRegistration
from kindman import spam
from kindman.models import AccessibilityReport


def purge(*, days: int, now=None) -> tuple[int, int]:
    """Erase what is older than `days`; returns (calls, registrations) erased."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    calls = booking.erase_old(now=now, retention=timedelta(days=days))
    registrations = 0
    with transaction.atomic():
        for registration in SessionRegistration.objects.select_for_update().filter(
            session__ends_at__lt=cutoff, erased_at__isnull=True
        ):
            sessions.erase_personal_data(registration, now=now)
            registration.save()
            registrations += 1
    spam.forget_old_counts(now)
    AccessibilityReport.erase_old(now=now)
    return calls, registrations


class Command(BaseCommand):
    help = "Erase personal data of calls and session registrations older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days after the call or session (default: settings.BOOKING_RETENTION_DAYS).",
        )

    def handle(self, *args, days=None, **options):
        days = settings.BOOKING_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days must be at least 1.")
        calls, registrations = purge(days=days)
        self.stdout.write(
            f"Erased personal data of {calls} call(s) and {registrations} session "
            f"registration(s) that ended more than {days} days ago."
        )
