"""Only the browser that booked sees a confirmation: it keeps its bookings' public ids in a
signed cookie, and the server keeps no session for it."""

import uuid

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings

from consultations.models import Consultation
from tests.consultations.helpers import booking_data, open_values

BOOK = "/consultation/"


def book(client, slot, phone="+13235550199"):
    response = client.post(BOOK, booking_data(slot, phone=phone))
    assert response.status_code == 302
    return response


def test_a_booking_stores_no_session_and_its_cookie_holds_nothing_personal(client, coordinator):
    response = book(client, open_values(1)[0])
    assert Session.objects.count() == 0
    assert "sessionid" not in response.cookies
    cookie = response.cookies["kc_calls"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/consultation/"  # not sent with reading pages
    assert int(cookie["max-age"]) > 0
    consultation = Consultation.objects.get()
    assert str(consultation.public_id) in cookie.value
    for personal in ("Robin", "5550199", "robin@example.com", "grief"):
        assert personal not in cookie.value
    assert client.get(response["Location"]).status_code == 200


@override_settings(SESSION_COOKIE_SECURE=True)
def test_the_cookie_is_https_only_where_the_session_cookie_is(client, coordinator):
    response = book(client, open_values(1)[0])
    assert response.cookies["kc_calls"]["secure"] is True


def test_a_cookie_naming_a_booking_without_our_signature_shows_nothing(client, coordinator):
    response = book(client, open_values(1)[0])
    public_id = str(Consultation.objects.get().public_id)
    signed = response.cookies["kc_calls"].value
    for forged in (public_id, signed.replace(public_id, str(uuid.uuid4())), signed[:-2] + "xx"):
        other = client.__class__()
        other.cookies["kc_calls"] = forged
        assert other.get(response["Location"]).status_code == 404, forged


def test_the_cookie_remembers_the_latest_five_bookings(client, coordinator):
    slots = open_values()
    confirmations = []
    for index in range(6):
        response = book(client, slots[index * 3], phone=f"+1323555{index:04d}")
        confirmations.append(response["Location"])
    assert client.get(confirmations[0]).status_code == 404
    for url in confirmations[1:]:
        assert client.get(url).status_code == 200, url
    assert client.cookies["kc_calls"].value.count(",") == 4  # five public ids


@pytest.mark.parametrize("value", ["", "garbage", "a:b:c", "é" * 10])
def test_a_malformed_cookie_is_treated_as_no_bookings(client, coordinator, value):
    response = book(client, open_values(1)[0])
    other = client.__class__()
    other.cookies["kc_calls"] = value
    assert other.get(response["Location"]).status_code == 404
    # and booking from that browser replaces it with a good one
    booked = other.post(BOOK, booking_data(open_values()[5], phone="+13235550777"))
    assert booked.status_code == 302
    assert other.get(booked["Location"]).status_code == 200
