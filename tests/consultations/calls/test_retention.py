from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from consultations.factories import build_consultation
from consultations.models import Consultation


def test_calls_older_than_90_days_lose_their_personal_data(coordinator):
    now = timezone.now()
    old = build_consultation(
        coordinator=coordinator,
        starts_at=now - timedelta(days=91),
        status=Consultation.Status.COMPLETED,
        email="old@example.com",
        note="old words",
        phone="+13235550170",
    )
    recent = build_consultation(
        coordinator=coordinator,
        starts_at=now - timedelta(days=80),
        status=Consultation.Status.COMPLETED,
        email="recent@example.com",
        phone="+13235550171",
    )
    call_command("purge_personal_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.erased_at and old.email == "" and old.note == "" and "555" not in old.phone
    assert recent.erased_at is None and recent.email == "recent@example.com"
