"""Open times, booking forms, staff users and registrations for the consultations tests."""

import uuid
from datetime import timedelta

from django.contrib.auth.models import Group, User
from django.utils import timezone

from consultations.calls.slots import load_schedule, open_slots


def staff_user(username: str, group: str | None = None) -> User:
    user = User.objects.create_user(
        username=username,
        password="pw",
        is_staff=group is None,
        is_superuser=group is None,
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def tomorrow_at(hour: int):
    from kindman.timezones import PRACTICE_TZ

    local = timezone.now().astimezone(PRACTICE_TZ) + timedelta(days=1)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def register_person(session, name: str, email: str, **details):
    """`sessions.register` for a test person: (registration, created)."""
    from consultations.sessions import actions as sessions

    values = {"name": name, "email": email, "pronouns": "", "discreet": False, **details}
    return sessions.register(session, details=values)


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
        "payment": "not_sure",
        "session_location": "california",
        "note": "Secret-note-about-grief",
        "best_times": "evenings",
        "consent": "on",
        "website": "",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
