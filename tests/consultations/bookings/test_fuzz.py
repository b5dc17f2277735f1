"""Bad input at the public booking and registration forms gets a clear answer, never a 500."""

from datetime import time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultations.factories import build_coordinator, build_info_session, build_rules
from tests.fuzz_helpers import FUZZ_SETTINGS, assert_never_500, form_data, query_params

BOOKING_FIELDS = [
    "slot", "name", "pronouns", "phone", "may_leave_voicemail", "may_text",
    "may_say_practice_name", "best_times", "email", "discreet", "interest", "payment",
    "wants_estimate", "session_location", "note",
    "preferred_therapist", "consent", "idempotency_key", "website",
]  # fmt: skip
REGISTRATION_FIELDS = ["name", "email", "pronouns", "discreet", "consent", "idempotency_key"]


@pytest.fixture
def open_calls(home_page, settings):
    settings.CONSULTATION_RATE_LIMIT = (100_000, 600)
    build_rules(min_notice_hours=0)
    build_coordinator(weekdays=range(7), start=time(0), end=time(23, 40))


@pytest.fixture
def info_session(home_page, settings):
    settings.CONSULTATION_RATE_LIMIT = (100_000, 600)
    return build_info_session(starts_in=timedelta(days=5))


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(data=form_data(BOOKING_FIELDS))
def test_booking_form_never_causes_a_500(client, open_calls, data):
    assert_never_500(client, "post", "/consultation/", data)


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(params=query_params(["therapist"]))
def test_booking_page_query_strings_never_cause_a_500(client, open_calls, params):
    assert_never_500(client, "get", "/consultation/", params)


WEEK_VALUES = st.one_of(
    st.dates().map(str),  # any real date, centuries before or after the horizon
    st.from_regex(r"\A\d{4}-\d{2}-\d{2}\Z"),  # date-shaped, mostly impossible dates
    st.sampled_from(["0000-00-00", "9999-12-31", "0001-01-01", "2026-02-29", "2026-12-07 "]),
)


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(params=query_params(["therapist", "week"]), week=WEEK_VALUES)
def test_booking_page_week_values_never_cause_a_500(client, open_calls, params, week):
    assert_never_500(client, "get", "/consultation/", params)
    assert_never_500(client, "get", "/consultation/", {**params, "week": week})


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(week=WEEK_VALUES, data=form_data(BOOKING_FIELDS))
def test_booking_form_with_any_week_never_causes_a_500(client, open_calls, week, data):
    from urllib.parse import urlencode

    assert_never_500(client, "post", "/consultation/?" + urlencode({"week": week}), data)


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(data=form_data(REGISTRATION_FIELDS))
def test_session_registration_never_causes_a_500(client, info_session, data):
    assert_never_500(client, "post", f"/info-sessions/{info_session.slug}/", data)


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(
    action=st.sampled_from(["cancel", "reschedule", "delete", "", "x" * 300]),
    token=st.text(min_size=1, max_size=80).filter(lambda t: "/" not in t and "?" not in t),
)
def test_manage_links_with_any_token_or_action_never_cause_a_500(client, open_calls, action, token):
    from urllib.parse import quote

    assert_never_500(client, "post", f"/consultation/manage/{quote(token)}/", {"action": action})
    assert_never_500(client, "get", f"/info-sessions/manage/{quote(token)}/")
