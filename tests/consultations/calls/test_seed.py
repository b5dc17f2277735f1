from django.core.management import call_command
from django.utils import timezone

from consultations.calls.slots import load_schedule, open_slots
from consultations.models import AvailabilityException, Consultation, Coordinator, WeeklyHours


def _counts():
    return [
        m.objects.count() for m in (Coordinator, WeeklyHours, AvailabilityException, Consultation)
    ]


def test_seed_gives_open_slots_and_bookings_in_every_state_and_is_idempotent(home_page):
    call_command("seed_consultations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _counts()
    call_command("seed_consultations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == first
    now = timezone.now()
    slots = open_slots(load_schedule(now), now)
    assert len({s.local_start.date() for s in slots}) >= 10
    assert set(Consultation.objects.values_list("status", flat=True)) == set(
        Consultation.Status.values
    )
    assert all(
        phone.startswith("+1323555010")
        for phone in Consultation.objects.values_list("phone", flat=True)
    )
    assert {e.kind for e in AvailabilityException.objects.all()} == {"closed", "extra"}
