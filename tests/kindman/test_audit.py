"""`kindman.audit.audit_row` is the row Wagtail's `log()` writes, written in one query."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.log_actions import LogContext, log
from wagtail.models import ModelLogEntry

from consultations.factories import build_consultation, build_coordinator
from kindman.audit import audit_row
from kindman.rows import insert_together

pytestmark = pytest.mark.django_db

COMPARED = ["content_type_id", "object_id", "label", "action", "data", "user_id", "uuid"]


def log_entry(instance, action, *, user=None):
    """`audit_row` written as the booking paths write it; the stored row (no key is read back)."""
    insert_together([audit_row(instance, action, user=user)])
    return ModelLogEntry.objects.filter(action=action).latest("pk")


@pytest.fixture
def call():
    start = timezone.now() + timedelta(days=2)
    return build_consultation(coordinator=build_coordinator(), starts_at=start)


def fields(entry):
    entry.refresh_from_db()
    return {name: getattr(entry, name) for name in COMPARED}


def test_the_entry_is_the_one_wagtail_writes(call):
    user = get_user_model().objects.create_user("editor")
    with LogContext(user=user):
        ours, wagtails = log_entry(call, "consultations.book"), log(call, "consultations.book")
    assert fields(ours) == fields(wagtails)
    assert ours.user_id == user.pk and ours.uuid is not None
    assert ours.label == str(call)
    assert abs(ours.timestamp - wagtails.timestamp) < timedelta(seconds=5)
    assert ModelLogEntry.objects.for_instance(call).count() == 2


def test_an_explicit_user_and_no_context():
    user = get_user_model().objects.create_user("coordinator")
    call = build_consultation(
        coordinator=build_coordinator(), starts_at=timezone.now() + timedelta(days=1)
    )
    anonymous = log_entry(call, "consultations.book")
    assert fields(anonymous)["user_id"] is None and anonymous.uuid is None
    assert fields(log_entry(call, "consultations.cancel", user=user))["user_id"] == user.pk


def test_it_takes_one_query(call):
    log_entry(call, "consultations.book")  # content type cached, actions scanned
    with CaptureQueriesContext(connection) as queries:
        insert_together([audit_row(call, "consultations.book")])
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT"]


def test_an_unregistered_action_is_refused_and_nothing_is_written(call):
    with pytest.raises(ValueError, match="not been registered"):
        log_entry(call, "consultations.no-such-action")
    assert not ModelLogEntry.objects.for_instance(call).exists()
