from django.core.management import call_command

from consultations.models import Consultation, InfoSession, SessionRegistration


def _counts():
    return [m.objects.count() for m in (InfoSession, SessionRegistration, Consultation)]


def test_seed_adds_sessions_with_a_waitlist_and_agenda_calls_and_is_idempotent(home_page):
    call_command("seed_consultations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_sessions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _counts()
    call_command("seed_sessions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == first
    upcoming = list(InfoSession.objects.for_listing())
    assert len(upcoming) >= 2
    assert any(s.is_online for s in upcoming)
    assert any("sex work" in s.audience.lower() and not s.is_online for s in upcoming)
    assert SessionRegistration.objects.waitlisted().count() == 1
    assert all(s.seats_taken <= s.capacity for s in upcoming)
    assert set(Consultation.objects.values_list("status", flat=True)) == set(
        Consultation.Status.values
    )
    assert all("(demo)" in r.name for r in SessionRegistration.objects.all())
