"""Retention: `purge_personal_data` erases personal fields after N days and keeps counts."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from consultations.factories import build_consultation, build_coordinator, build_info_session
from consultations.models import Consultation, SessionRegistration
from consultations.sessions import actions as sessions
from therapists.factories import build_therapist


def purge(*args) -> str:
    out = StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def coordinator(home_page):
    return build_coordinator("Retention Coordinator")


def old_and_recent_calls(coordinator, days_old=91):
    now = timezone.now()
    old = build_consultation(
        coordinator=coordinator,
        starts_at=now - timedelta(days=days_old),
        name="Old Client",
        phone="+13235550181",
        email="old@example.com",
        note="private",
        status=Consultation.Status.COMPLETED,
        matched_therapist=build_therapist(slug="daniel-reyes-whitlock", title="Daniel"),
        outcome_notes="notes",
    )
    recent = build_consultation(
        coordinator=coordinator,
        starts_at=now - timedelta(days=10),
        name="Recent Client",
        phone="+13235550182",
        status=Consultation.Status.COMPLETED,
    )
    return old, recent


def test_calls_older_than_the_default_90_days_are_anonymised(coordinator):
    old, recent = old_and_recent_calls(coordinator)
    output = purge()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert "1 call(s)" in output
    assert old.name == "(erased)" and old.email == "" and old.note == "" and "555" not in old.phone
    assert old.outcome_notes == "" and old.matched_therapist is None
    assert old.status == Consultation.Status.COMPLETED and old.starts_at  # still counted
    assert recent.name == "Recent Client" and recent.erased_at is None
    assert Consultation.objects.filter(status="completed").count() == 2


def test_days_come_from_the_option_then_the_setting(coordinator, settings):
    old, recent = old_and_recent_calls(coordinator, days_old=40)
    settings.BOOKING_RETENTION_DAYS = 60
    purge()
    old.refresh_from_db()
    assert old.erased_at is None
    purge("--days", "30")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.erased_at is not None and recent.erased_at is None


def test_session_registrations_are_anonymised_after_the_session_and_attendance_kept(home_page):
    session = build_info_session(slug="old", capacity=5)
    ana, _ = sessions.register(
        session,
        details={
            "name": "Ana",
            "email": "ana@example.com",
            "pronouns": "she/her",
            "discreet": False,
        },
    )
    ana.attendance = "attended"
    ana.save()
    session.starts_at -= timedelta(days=100)
    session.ends_at -= timedelta(days=100)
    session.save()
    upcoming = build_info_session(slug="new", capacity=5)
    ben, _ = sessions.register(
        upcoming,
        details={"name": "Ben", "email": "ben@example.com", "pronouns": "", "discreet": False},
    )
    output = purge()
    ana.refresh_from_db()
    ben.refresh_from_db()
    assert "1 session registration(s)" in output
    assert ana.name == "(erased)" and "ana" not in ana.email and ana.pronouns == ""
    assert ana.attendance == "attended" and ana.status == "registered"
    assert ben.name == "Ben"
    assert SessionRegistration.objects.filter(session=session, attendance="attended").count() == 1


def test_running_it_twice_changes_nothing_more(coordinator):
    old, _recent = old_and_recent_calls(coordinator)
    purge()
    old.refresh_from_db()
    first = (old.erased_at, old.manage_token)
    assert "0 call(s)" in purge()
    old.refresh_from_db()
    assert (old.erased_at, old.manage_token) == first


def test_nonsense_days_are_refused(home_page):
    with pytest.raises(CommandError):
        purge("--days", "0")


def test_audit_log_labels_hold_no_registrant_name(home_page):
    from django.contrib.auth.models import User
    from wagtail.log_actions import log

    session = build_info_session(capacity=5)
    ana, _ = sessions.register(
        session,
        details={
            "name": "Ana Secret",
            "email": "ana@example.com",
            "pronouns": "",
            "discreet": False,
        },
    )
    log(ana, "consultations.attendance", user=User.objects.create_user("staff"))
    sessions.erase(ana)
    assert not ModelLogEntry.objects.filter(label__icontains="Ana Secret").exists()
