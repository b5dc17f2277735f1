"""The private manage link: view, cancel, reschedule, delete, and when it stops working."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from consultations.calls import actions as booking
from consultations.calls.slots import parse_slot_value
from consultations.factories import build_consultation
from consultations.models import Consultation
from tests.consultations.helpers import open_values


def _booked(**details):
    start = parse_slot_value(open_values()[0])
    values = {"name": "Robin", "phone": "+13235550199", "email": "robin@example.com", **details}
    consultation, _ = booking.book(start=start, details=values)
    return consultation


def _url(consultation):
    return reverse("consultations:manage", args=[consultation.manage_token])


def test_opening_the_manage_link_only_shows_the_booking(client, coordinator):
    consultation = _booked()
    before = Consultation.objects.values().get(pk=consultation.pk)
    response = client.get(_url(consultation))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"  # nothing leaves the site
    assert b"Leave this site quickly" in response.content
    assert b"Cancel my call" in response.content
    client.get(_url(consultation))
    client.head(_url(consultation))
    assert Consultation.objects.values().get(pk=consultation.pk) == before


def test_manage_links_are_unguessable(coordinator):
    consultation = _booked()
    assert len(consultation.manage_token) >= 43
    assert str(consultation.pk) not in consultation.manage_token


def test_unknown_or_malformed_token_shows_a_gentle_404(client, coordinator):
    for token in ["nope", "x" * 80, "%00"]:
        response = client.get(f"/consultation/manage/{token}/")
        assert response.status_code == 404
        assert "no-store" in response["Cache-Control"]


def test_cancel_needs_a_button_press_and_then_the_link_stops_working(client, coordinator):
    consultation = _booked()
    url = _url(consultation)
    response = client.post(url, {"action": "cancel"})
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:manage_done", args=["cancelled"])
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CANCELLED
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "cancel"}).status_code == 404


def test_reschedule_moves_the_call_and_keeps_the_link(client, coordinator):
    consultation = _booked()
    old_url = _url(consultation)
    new_slot = open_values()[8]
    response = client.post(old_url, {"action": "reschedule", "slot": new_slot})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.starts_at == parse_slot_value(new_slot)
    assert consultation.ics_sequence == 1
    assert response["Location"] == old_url == _url(consultation)
    page = client.get(old_url)
    assert page.status_code == 200
    assert "keeps working" in page.content.decode()


def test_reschedule_refuses_forged_and_too_soon_slots(client, coordinator):
    consultation = _booked()
    url = _url(consultation)
    for forged in ["2020-01-01T10:00:00Z", "garbage", ""]:
        response = client.post(url, {"action": "reschedule", "slot": forged})
        assert response.status_code == 400
    consultation.refresh_from_db()
    assert consultation.ics_sequence == 0


def test_reschedule_to_a_taken_time_offers_nearest(client, coordinator):
    consultation = _booked()
    taken = parse_slot_value(open_values()[3])
    build_consultation(coordinator=coordinator, starts_at=taken, phone="+13235550160")
    response = client.post(
        _url(consultation), {"action": "reschedule", "slot": taken.strftime("%Y-%m-%dT%H:%M:%SZ")}
    )
    assert b"that time was just taken" in response.content
    assert b"slots__nearest" in response.content


def test_delete_my_request_erases_personal_fields(client, coordinator):
    consultation = _booked(note="private words", pronouns="she/her", best_times="mornings")
    response = client.post(_url(consultation), {"action": "delete"})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CANCELLED
    assert consultation.erased_at is not None
    assert consultation.name == "(erased)"
    assert "5550199" not in consultation.phone
    assert consultation.email == consultation.note == consultation.pronouns == ""
    assert consultation.best_times == ""
    assert client.get(_url(consultation)).status_code == 404


def test_unknown_action_changes_nothing(client, coordinator):
    consultation = _booked()
    response = client.post(_url(consultation), {"action": "explode"})
    assert response.status_code == 400
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.REQUESTED


def test_link_stops_working_once_the_call_is_past(client, coordinator):
    past = timezone.now() - timedelta(hours=2)
    consultation = build_consultation(coordinator=coordinator, starts_at=past)
    assert client.get(_url(consultation)).status_code == 404


def test_manage_invite_download_matches_the_booking(client, coordinator):
    from icalendar import Calendar

    consultation = _booked()
    response = client.get(reverse("consultations:manage_invite", args=[consultation.manage_token]))
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == consultation.starts_at
    assert "no-store" in response["Cache-Control"]


def test_cancel_and_delete_each_ask_again_on_a_page_of_their_own(client, coordinator):
    consultation = _booked()
    manage = client.get(_url(consultation)).content.decode()
    for action, button in [("cancel", "Yes, cancel my call"), ("delete", "Yes, delete my request")]:
        confirm_url = reverse(
            "consultations:manage_confirm", args=[consultation.manage_token, action]
        )
        assert f'href="{confirm_url}"' in manage
        response = client.get(confirm_url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        html = response.content.decode()
        assert button in html and f'name="action" value="{action}"' in html
        assert f'action="{_url(consultation)}"' in html
    consultation.refresh_from_db()
    assert consultation.status != Consultation.Status.CANCELLED
    bogus = reverse("consultations:manage_confirm", args=[consultation.manage_token, "explode"])
    assert client.get(bogus).status_code == 404
    gone = reverse("consultations:manage_confirm", args=["not-a-real-token", "cancel"])
    assert client.get(gone).status_code == 404
