from datetime import time

import pytest
from django.core.cache import cache

from consultations.factories import (
    build_consultation,
    build_coordinator,
    build_info_session,
    build_rules,
)
from tests.consultations.helpers import staff_user, tomorrow_at


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


# --- the coordinator's workspace -------------------------------------------------------


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
