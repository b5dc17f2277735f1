"""The workspace's lists: agenda by day, booking filters, contact badges, escaping of what
clients typed, and spreadsheet exports where a formula stays text."""

import csv
import io
import re
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.factories import build_consultation
from consultations.models import Consultation
from consultations.sessions import actions as sessions
from kindman.timezones import PRACTICE_TZ
from tests.consultations.helpers import register_person, tomorrow_at
from therapists.factories import build_therapist

FORMULA = '=HYPERLINK("http://evil.example","click")'
SCRIPT = "<script>alert(1)</script>"
BOOKINGS = "/admin/consultation_bookings/"


def book(call_coordinator, when, **fields):
    index = Consultation.objects.count()
    values = {"phone": f"+1323555{index:04d}", "name": f"Client {index}"}
    values.update(fields)
    return build_consultation(coordinator=call_coordinator, starts_at=when, **values)


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_agenda_groups_calls_by_pacific_day_with_contact_badges(
    coordinator_client, call, call_coordinator
):
    later = book(call_coordinator, tomorrow_at(10) + timedelta(days=2), name="Later Person")
    book(
        call_coordinator,
        tomorrow_at(11) + timedelta(days=2),
        name="Cancelled Person",
        status=Consultation.Status.CANCELLED,
    )
    html = coordinator_client.get(reverse("consultation_agenda:index")).content.decode()
    tomorrow = call.starts_at_local
    assert f"{tomorrow:%A, %B} {tomorrow.day}" in html
    assert html.index("Robin Caller") < html.index("Later Person")
    assert f"{later.starts_at_local:%A, %B} {later.starts_at_local.day}" in html
    assert "Cancelled Person" not in html  # a later day lists only calls still to happen
    assert "No voicemail" in html and "No texts" in html and "Discreet" in html


def test_agenda_shows_sessions_with_seat_counts(coordinator_client, info_session):
    for name in ("Ana", "Ben", "Cam"):
        register_person(info_session, name, f"{name}@x.com")
    html = coordinator_client.get(reverse("consultation_agenda:index")).content.decode()
    assert info_session.title in html
    assert "2 of 2 registered, 1 waiting" in html


def test_agenda_query_count_does_not_grow_with_calls(
    coordinator_client, call_coordinator, django_assert_num_queries, django_assert_max_num_queries
):
    therapist = build_therapist(slug="jonah-vey", title="Jonah Vey")
    book(call_coordinator, tomorrow_at(9), preferred_therapist=therapist)
    url = reverse("consultation_agenda:index")
    coordinator_client.get(url)
    with django_assert_max_num_queries(60) as few:
        coordinator_client.get(url)
    for day in range(1, 8):
        book(call_coordinator, tomorrow_at(12) + timedelta(days=day), preferred_therapist=therapist)
    with django_assert_num_queries(len(few.captured_queries)):
        coordinator_client.get(url)


def test_booking_list_filters_by_status_date_and_therapist_preference(
    coordinator_client, call_coordinator
):
    maren = build_therapist(slug="maren-okafor", title="Maren Okafor")
    soon = book(call_coordinator, tomorrow_at(9), name="Soon Person", preferred_therapist=maren)
    later = book(
        call_coordinator,
        tomorrow_at(9) + timedelta(days=5),
        name="Later Person",
        status=Consultation.Status.CONFIRMED,
    )

    def names(query):
        html = coordinator_client.get(BOOKINGS + query).content.decode()
        return {name for name in ("Soon Person", "Later Person") if name in html}

    assert names("") == {"Soon Person", "Later Person"}
    assert names("?status=confirmed") == {"Later Person"}
    assert names(f"?preferred_therapist={maren.pk}") == {"Soon Person"}
    day = soon.starts_at_local.date()
    assert names(f"?starts_at_from={day}&starts_at_to={day}") == {"Soon Person"}
    later_day = later.starts_at_local.date()
    assert names(f"?starts_at_from={later_day}") == {"Later Person"}


def test_malformed_filters_never_cause_a_server_error(coordinator_client, call):
    for query in (
        "?status=nope",
        "?starts_at_from=yesterday",
        "?preferred_therapist=abc",
        "?p=-1",
    ):
        assert coordinator_client.get(BOOKINGS + query).status_code in (200, 404), query


def test_booking_rows_open_the_calls_workspace_page(coordinator_client, call):
    html = coordinator_client.get(BOOKINGS).content.decode()
    assert reverse("consultation_agenda:call", args=[call.pk]) in html


def test_client_text_is_escaped_everywhere_staff_see_it(
    coordinator_client, call_coordinator, info_session
):
    call = book(call_coordinator, tomorrow_at(9), name=SCRIPT, note=SCRIPT, best_times=SCRIPT)
    sessions.register(
        info_session,
        details={"name": SCRIPT, "email": "s@x.com", "pronouns": SCRIPT, "discreet": False},
    )
    for url in (
        BOOKINGS,
        reverse("consultation_agenda:index"),
        reverse("consultation_agenda:call", args=[call.pk]),
        reverse("info_sessions:roster", args=[info_session.pk]),
        reverse("session_registrations:index"),
    ):
        html = coordinator_client.get(url).content.decode()
        assert SCRIPT not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


def test_booking_csv_export_keeps_formulas_as_text(coordinator_client, call_coordinator):
    book(call_coordinator, tomorrow_at(9), name=FORMULA)
    book(call_coordinator, tomorrow_at(10), name="-2+3")
    book(call_coordinator, tomorrow_at(11), name="Plain Name")
    rows = csv_rows(coordinator_client.get(BOOKINGS + "?export=csv"))
    header, body = rows[0], rows[1:]
    names = {row[header.index("Name to use")] for row in body}
    assert names == {"'" + FORMULA, "'-2+3", "Plain Name"}


def test_booking_xlsx_export_keeps_formulas_as_text(coordinator_client, call_coordinator):
    book(call_coordinator, tomorrow_at(9), name=FORMULA)
    response = coordinator_client.get(BOOKINGS + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Name to use") + 1)
    assert cell.data_type == "s"
    assert cell.value in (FORMULA, "'" + FORMULA)


def test_roster_export_lists_one_session_in_order_with_formulas_as_text(
    coordinator_client, info_session, home_page
):
    from consultations.factories import build_info_session

    other = build_info_session(slug="other-session")
    for name in ("@SUM(A1)", "+Bee", "Cam", "Dee"):
        sessions.register(
            info_session,
            details={
                "name": name,
                "email": f"{name[-3:]}@x.com",
                "pronouns": "",
                "discreet": False,
            },
        )
    register_person(other, "Elsewhere", "e@x.com")
    url = reverse("session_registrations:index") + f"?session={info_session.pk}&export=csv"
    rows = csv_rows(coordinator_client.get(url))
    header, body = rows[0], rows[1:]
    assert [row[header.index("Name to use")] for row in body] == [
        "'@SUM(A1)",
        "'+Bee",
        "Cam",
        "Dee",
    ]
    assert [row[header.index("Status")] for row in body] == [
        "registered",
        "registered",
        "waitlisted",
        "waitlisted",
    ]

    xlsx = coordinator_client.get(url.replace("csv", "xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet.max_row == 5
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_past_calls_leave_the_agenda_after_their_day(coordinator_client, call_coordinator):
    book(
        call_coordinator, timezone.now() - timedelta(days=2), name="Old Person", status="completed"
    )
    html = coordinator_client.get(reverse("consultation_agenda:index")).content.decode()
    assert "Old Person" not in html


pytestmark = pytest.mark.django_db


def test_booking_export_speaks_pacific_time_labels_and_national_phone_numbers(
    coordinator_client, call_coordinator
):
    when = tomorrow_at(9).replace(microsecond=123456)
    book(call_coordinator, when, name="Sol", phone="+13235550142", interest="either")
    rows = csv_rows(coordinator_client.get(BOOKINGS + "?export=csv"))
    row = dict(zip(rows[0], rows[1], strict=True))
    local = when.astimezone(PRACTICE_TZ)
    assert row["Call starts (Pacific Time (Los Angeles))"] == (f"{local:%Y-%m-%d %-I:%M %p} PT")
    assert row["Phone"] == "(323) 555-0142"
    assert row["Interest"] == "Either / not sure yet"
    assert row["Status"] == "Requested"
    assert row["May leave voicemail"] in ("Yes", "No")


def test_booking_xlsx_export_has_pacific_times_as_text(coordinator_client, call_coordinator):
    book(call_coordinator, tomorrow_at(9), name="Sol", phone="+13235550142")
    response = coordinator_client.get(BOOKINGS + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    values = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert values["Call starts (Pacific Time (Los Angeles))"].endswith(" PT")
    assert values["Phone"] == "(323) 555-0142"


def test_booking_list_shows_pacific_times_and_phone_numbers_as_dialled(
    coordinator_client, call_coordinator
):
    book(call_coordinator, tomorrow_at(9), name="Sol", phone="+13235550142")
    html = coordinator_client.get(BOOKINGS).content.decode()
    local = tomorrow_at(9).astimezone(PRACTICE_TZ)
    assert f"{local:%-I:%M %p}" in html
    assert "(323) 555-0142" in html and "+13235550142" not in html


def test_booking_list_names_the_zone_once_and_keeps_dates_on_one_line(
    coordinator_client, call_coordinator
):
    """A 1366 px screen fits the list: the date cell is short and does not wrap."""
    maren = build_therapist(slug="maren-okafor", title="Maren Okafor")
    jonah = build_therapist(slug="jonah-vey", title="Jonah Vey")
    call = book(call_coordinator, tomorrow_at(9), name="Sol", preferred_therapist=maren)
    book(
        call_coordinator,
        tomorrow_at(10),
        name="Kit",
        preferred_therapist=maren,
        matched_therapist=jonah,
    )
    html = coordinator_client.get(BOOKINGS).content.decode()
    local = call.starts_at_local
    link = reverse("consultation_agenda:call", args=[call.pk])
    cell = html[html.index(f'href="{link}"') :]
    cell = cell[cell.index(">") + 1 : cell.index("</a>")].strip()
    assert cell == f"{local:%a %b} {local.day}, {local:%-I:%M %p}"
    assert "Call time (Pacific Time)" in html
    # The workspace stylesheet (one-line dates, contact badges) is on the page.
    assert "css/workspace.css" in html
    assert '<td class="ws-nowrap title">' in html
    # One therapist column: who they were matched with, and who they asked for.
    assert html.count("Asked for: Maren Okafor") == 2
    assert html.count("Matched: Jonah Vey") == 1
    assert "Add a booking" in html and "Add consultation" not in html


def test_booking_list_shows_upcoming_calls_first_soonest_first(
    coordinator_client, call_coordinator
):
    now = timezone.now()
    for name, when in [
        ("Last week", now - timedelta(days=7)),
        ("In three days", tomorrow_at(11) + timedelta(days=2)),
        ("Yesterday", now - timedelta(days=1)),
        ("Tomorrow", tomorrow_at(10)),
    ]:
        book(call_coordinator, when, name=name)
    html = coordinator_client.get(BOOKINGS).content.decode()
    order = sorted(
        ["Last week", "In three days", "Yesterday", "Tomorrow"], key=lambda name: html.index(name)
    )
    assert order == ["Tomorrow", "In three days", "Yesterday", "Last week"]


def test_booking_list_is_headed_as_the_menu_names_it(coordinator_client, call):
    response = coordinator_client.get(BOOKINGS)
    assert response.context["page_title"] == "Bookings"


def test_session_list_shows_upcoming_sessions_first_in_short_pacific_times(coordinator_client):
    from consultations.factories import build_info_session

    past = build_info_session(slug="past", title="Past session", starts_in=-timedelta(days=3))
    later = build_info_session(slug="later", title="Later session", starts_in=timedelta(days=9))
    build_info_session(slug="soon", title="Soon session", starts_in=timedelta(days=2))
    html = coordinator_client.get(reverse("info_sessions:index")).content.decode()
    titles = ["Past session", "Later session", "Soon session"]
    assert sorted(titles, key=html.index) == ["Soon session", "Later session", "Past session"]
    assert "Starts (Pacific Time)" in html
    for session in (past, later):
        local = session.starts_at_local
        year = "" if local.year == timezone.localdate().year else f" {local.year}"
        text = f"{local:%a %b} {local.day}{year}, {local:%-I:%M %p}"
        assert re.search(rf'<td class="ws-nowrap">\s*{re.escape(text)}\s*</td>', html), text
