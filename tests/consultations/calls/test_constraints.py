"""The database itself refuses double bookings, whatever the application does."""

import pytest
from django.db import IntegrityError, transaction

from consultations.calls.slots import parse_slot_value
from consultations.factories import build_consultation
from consultations.models import Consultation
from tests.consultations.helpers import open_values


def test_database_refuses_two_active_calls_at_one_coordinator_start(coordinator):
    start = parse_slot_value(open_values()[0])
    build_consultation(coordinator=coordinator, starts_at=start, phone="+13235550180")
    with pytest.raises(IntegrityError), transaction.atomic():
        build_consultation(coordinator=coordinator, starts_at=start, phone="+13235550181")


def test_database_allows_a_new_call_where_one_was_cancelled(coordinator):
    start = parse_slot_value(open_values()[0])
    build_consultation(
        coordinator=coordinator, starts_at=start, status=Consultation.Status.CANCELLED
    )
    build_consultation(coordinator=coordinator, starts_at=start, phone="+13235550182")
    assert Consultation.objects.active().count() == 1
