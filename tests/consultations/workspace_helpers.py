"""Users and bookings for the workspace tests (imported by the test_workspace_* modules)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from consultations.factories import build_consultation, build_coordinator, build_info_session
from consultations.models import Consultation


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


@pytest.fixture
def coordinator_user(home_page):
    return staff_user("coord", "Care coordinators")


@pytest.fixture
def editor_user(home_page):
    return staff_user("editor", "Editors")


@pytest.fixture
def coordinator_client(client, coordinator_user):
    client.force_login(coordinator_user)
    return client


@pytest.fixture
def call_coordinator(home_page):
    return build_coordinator("Rosa Test")


def tomorrow_at(hour: int):
    from kindman.timezones import PRACTICE_TZ

    local = timezone.now().astimezone(PRACTICE_TZ) + timedelta(days=1)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def call(call_coordinator):
    return build_consultation(
        coordinator=call_coordinator,
        starts_at=tomorrow_at(10),
        name="Robin Caller",
        phone="+13235550111",
        email="robin@example.com",
        may_leave_voicemail=False,
        may_text=False,
        discreet=True,
    )


@pytest.fixture
def info_session(home_page):
    return build_info_session(capacity=2)


def register_person(session, name: str, email: str, **details):
    """`sessions.register` for a test person: (registration, created)."""
    from consultations.sessions import actions as sessions

    values = {"name": name, "email": email, "pronouns": "", "discreet": False, **details}
    return sessions.register(session, details=values)


__all__ = [
    "Consultation",
    "build_consultation",
    "call",
    "call_coordinator",
    "coordinator_client",
    "coordinator_user",
    "editor_user",
    "info_session",
    "register_person",
    "staff_user",
    "tomorrow_at",
]
