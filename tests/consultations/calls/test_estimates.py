"""Good Faith Estimates: asked for with a booking, due three business days later in Pacific
time (weekends and the practice's closed days skipped), on the agenda until marked sent."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from consultations.calls.estimates import due_date
from consultations.factories import build_consultation
from consultations.models import AvailabilityException, Consultation, GoodFaithEstimate
from kindman.timezones import PRACTICE_TZ

from ..helpers import booking_data, open_values, tomorrow_at

BOOK = "/consultation/"
AGENDA = reverse_lazy("consultation_agenda:index")
THURSDAY = date(2026, 12, 3)


def pacific(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PRACTICE_TZ)


def close_practice(day: date, coordinator=None) -> None:
    AvailabilityException.objects.create(
        coordinator=coordinator, date=day, kind=AvailabilityException.Kind.CLOSED
    )


@pytest.mark.django_db
class TestDueDate:
    def test_three_business_days_step_over_the_weekend(self):
        # Friday, Monday, Tuesday.
        assert due_date(pacific(THURSDAY, 10)) == date(2026, 12, 8)

    def test_a_friday_request_is_due_on_wednesday(self):
        assert due_date(pacific(date(2026, 12, 4), 9)) == date(2026, 12, 9)

    def test_a_weekend_request_counts_from_monday(self):
        assert due_date(pacific(date(2026, 12, 5), 12)) == date(2026, 12, 9)

    def test_the_day_is_counted_in_pacific_time_not_utc(self):
        evening = pacific(THURSDAY, 17, 30).astimezone(UTC)  # already Friday in UTC
        assert evening.date() == date(2026, 12, 4)
        assert due_date(evening) == date(2026, 12, 8)

    def test_a_day_the_practice_is_closed_is_skipped(self):
        close_practice(date(2026, 12, 7))
        assert due_date(pacific(THURSDAY, 10)) == date(2026, 12, 9)

    def test_one_coordinators_day_off_is_still_a_business_day(self, coordinator):
        close_practice(date(2026, 12, 7), coordinator=coordinator)
        assert due_date(pacific(THURSDAY, 10)) == date(2026, 12, 8)


@pytest.mark.django_db
class TestAskingWithABooking:
    @pytest.mark.parametrize("payment", ["self_pay", "not_sure"])
    def test_paying_yourself_or_not_sure_puts_an_estimate_on_the_agenda(
        self, client, coordinator, payment
    ):
        data = booking_data(open_values(1)[0], payment=payment, wants_estimate="on")
        response = client.post(BOOK, data, follow=True)
        estimate = GoodFaithEstimate.objects.get()
        assert estimate.due_on == due_date(estimate.requested_at)
        assert "You asked for a Good Faith Estimate" in response.content.decode()

    def test_with_insurance_the_box_is_ignored(self, client, coordinator):
        data = booking_data(open_values(1)[0], payment="insurance", wants_estimate="on")
        client.post(BOOK, data)
        assert Consultation.objects.get().payment == "insurance"
        assert not GoodFaithEstimate.objects.exists()

    def test_without_the_box_no_estimate_is_asked_for(self, client, coordinator):
        client.post(BOOK, booking_data(open_values(1)[0], payment="self_pay"))
        assert Consultation.objects.count() == 1
        assert not GoodFaithEstimate.objects.exists()


@pytest.mark.django_db
class TestOnTheAgenda:
    @pytest.fixture
    def estimate(self, call_coordinator):
        consultation = build_consultation(
            coordinator=call_coordinator, starts_at=tomorrow_at(11), name="Sky Asker"
        )
        now = timezone.now()
        return GoodFaithEstimate.objects.create(
            consultation=consultation, requested_at=now, due_on=due_date(now)
        )

    def test_an_open_request_shows_as_due(self, coordinator_client, estimate):
        html = coordinator_client.get(AGENDA).content.decode()
        assert "Good Faith Estimates to send" in html
        assert "Sky Asker" in html and "Overdue" not in html

    def test_a_request_past_its_day_shows_as_overdue(self, coordinator_client, estimate):
        estimate.due_on = timezone.now().astimezone(PRACTICE_TZ).date() - timedelta(days=1)
        estimate.save()
        assert "Overdue" in coordinator_client.get(AGENDA).content.decode()

    def test_marking_it_sent_takes_it_off_the_agenda(self, coordinator_client, estimate):
        url = reverse("consultation_agenda:estimate_sent", args=[estimate.pk])
        response = coordinator_client.post(url, follow=True)
        estimate.refresh_from_db()
        assert estimate.sent_at is not None
        assert "Good Faith Estimates to send" not in response.content.decode()

    def test_only_staff_who_handle_calls_may_mark_it_sent(self, client, editor_user, estimate):
        client.force_login(editor_user)
        url = reverse("consultation_agenda:estimate_sent", args=[estimate.pk])
        client.post(url)
        estimate.refresh_from_db()
        assert estimate.sent_at is None

    def test_the_call_page_says_an_estimate_was_asked_for(self, coordinator_client, estimate):
        url = reverse("consultation_agenda:call", args=[estimate.consultation_id])
        html = coordinator_client.get(url).content.decode()
        assert f"Asked for; due {estimate.due_on:%A, %B} {estimate.due_on.day}" in html
