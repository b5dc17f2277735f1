"""An information session's page carries schema.org `Event` data search engines can show:
online or in person, start and end with their offset, the practice as organiser, seats."""

import json
import re
from datetime import datetime

import pytest

from consultations.factories import build_info_session
from consultations.models import InfoSession


def event_data(client, session) -> dict:
    html = client.get(f"/info-sessions/{session.slug}/").content.decode()
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


@pytest.mark.django_db
class TestEventData:
    def test_an_in_person_session_is_an_offline_event_at_a_place(self, client, home_page):
        session = build_info_session()
        data = event_data(client, session)
        assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
        assert data["name"] == session.title
        assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
        assert data["location"]["@type"] == "Place"
        assert data["location"]["address"]["@type"] == "PostalAddress"
        assert data["organizer"]["@type"] == "MedicalBusiness"
        assert data["organizer"]["url"] == "http://testserver/"
        assert data["url"] == f"http://testserver/info-sessions/{session.slug}/"
        assert data["offers"]["availability"] == "https://schema.org/InStock"

    def test_start_and_end_carry_the_pacific_offset(self, client, home_page):
        session = build_info_session()
        data = event_data(client, session)
        start, end = (datetime.fromisoformat(data[key]) for key in ("startDate", "endDate"))
        assert start == session.starts_at and end == session.ends_at
        assert start.utcoffset() is not None and start.utcoffset().total_seconds() < 0

    def test_an_online_session_is_a_virtual_event(self, client, home_page):
        session = build_info_session(format=InfoSession.Format.ONLINE, place="")
        data = event_data(client, session)
        assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
        assert data["location"]["@type"] == "VirtualLocation"
        assert data["location"]["url"].startswith("http://testserver/")
