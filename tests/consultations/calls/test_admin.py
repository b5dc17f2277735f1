"""The Consultations admin: who may reach it, what the list shows, and staff edits re-checked."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from consultations.calls.slots import parse_slot_value
from consultations.factories import build_consultation
from consultations.models import Consultation
from tests.consultations.helpers import open_values


def _user(username, group=None, **fields):
    user = User.objects.create_user(username=username, password="pw-not-secret-123", **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def booked(coordinator):
    start = parse_slot_value(open_values()[2])
    return build_consultation(
        coordinator=coordinator,
        starts_at=start,
        name="Robin (demo)",
        phone="+13235550199",
        may_text=True,
    )


def test_care_coordinators_reach_the_calls_list_with_contact_preferences(client, booked):
    client.force_login(_user("carer", "Care coordinators"))
    response = client.get(reverse("consultation_bookings:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Robin (demo)" in html and "(323) 555-0199" in html  # as staff dial it
    assert "May text" in html
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Consultations" in dashboard


def test_editors_cannot_reach_consultations(client, booked):
    client.force_login(_user("ed", "Editors"))
    for name in [
        "consultation_bookings:index",
        "consultation_coordinators:index",
        "consultation_exceptions:index",
        "consultation_emails:index",
    ]:
        response = client.get(reverse(name))
        assert response.status_code in (302, 403), name
    assert "Robin (demo)" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_calls_list_query_count_does_not_grow_with_rows(
    client, coordinator, django_assert_max_num_queries
):
    client.force_login(_user("admin", is_superuser=True, is_staff=True))
    starts = [parse_slot_value(v) for v in open_values()[:12:2]]
    build_consultation(coordinator=coordinator, starts_at=starts[0], phone="+13235550130")
    url = reverse("consultation_bookings:index")
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for index, start in enumerate(starts[1:]):
        build_consultation(coordinator=coordinator, starts_at=start, phone=f"+1323555014{index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def _edit_data(consultation, starts_at):
    local = starts_at.astimezone(consultation.starts_at_local.tzinfo)
    return {
        "status": consultation.status,
        "coordinator": consultation.coordinator_id,
        "starts_at": local.strftime("%Y-%m-%d %H:%M"),
        "name": consultation.name,
        "pronouns": "",
        "phone": consultation.phone,
        "email": "",
        "best_times": "",
        "interest": consultation.interest,
        "state": "CA",
        "note": "",
    }


def test_staff_edit_to_a_time_outside_the_rules_is_refused(client, booked):
    client.force_login(_user("carer", "Care coordinators"))
    url = reverse("consultation_bookings:edit", args=[booked.pk])
    off_grid = booked.starts_at + timedelta(minutes=5)
    response = client.post(url, _edit_data(booked, off_grid))
    assert response.status_code == 200
    assert b"That time is not open" in response.content
    booked.refresh_from_db()
    assert booked.starts_at != off_grid


def test_staff_edit_to_an_open_time_saves_and_bumps_the_invite(client, booked):
    from django.core import mail

    client.force_login(_user("carer", "Care coordinators"))
    url = reverse("consultation_bookings:edit", args=[booked.pk])
    new_start = parse_slot_value(open_values()[6])
    old_token = booked.manage_token
    data = {**_edit_data(booked, new_start), "email": "robin@example.com"}
    response = client.post(url, data)
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.starts_at == new_start
    assert booked.ends_at == new_start + timedelta(minutes=20)
    assert booked.ics_sequence == 1
    assert booked.manage_token == old_token  # the client's link still works
    [moved] = [m for m in mail.outbox if m.to == ["robin@example.com"]]
    assert moved.subject.startswith("Moved")


def test_staff_status_change_alone_skips_the_time_check(client, coordinator):
    from django.utils import timezone

    client.force_login(_user("carer", "Care coordinators"))
    past = build_consultation(coordinator=coordinator, starts_at=timezone.now() - timedelta(days=1))
    data = _edit_data(past, past.starts_at)
    data["status"] = Consultation.Status.COMPLETED
    response = client.post(reverse("consultation_bookings:edit", args=[past.pk]), data)
    assert response.status_code == 302
    past.refresh_from_db()
    assert past.status == Consultation.Status.COMPLETED
