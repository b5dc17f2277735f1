import uuid
from datetime import time

import pytest
from django.core.cache import cache
from django.utils import timezone

from consultations.calls.slots import load_schedule, open_slots
from consultations.factories import build_coordinator, build_rules


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coordinator(home_page):
    """One coordinator working 06:00–22:00 every day: whenever the tests run, the 12-hour notice
    window overlaps working hours (so "call us" slots exist) and open slots follow."""
    build_rules(horizon_days=7)
    return build_coordinator("Test Coordinator", weekdays=range(7), start=time(6), end=time(22))


def open_values(count=None):
    slots = open_slots(load_schedule(timezone.now()), timezone.now())
    values = [slot.value for slot in slots]
    return values[:count] if count else values


def booking_data(slot: str, **overrides) -> dict:
    data = {
        "slot": slot,
        "name": "Robin Testperson",
        "pronouns": "they/them",
        "phone": "(323) 555-0199",
        "may_leave_voicemail": "on",
        "email": "robin@example.com",
        "interest": "online",
        "state": "CA",
        "note": "Secret-note-about-grief",
        "best_times": "evenings",
        "consent": "on",
        "website": "",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
