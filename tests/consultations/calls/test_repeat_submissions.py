"""A booking form sent again (double click, Back and Submit) shows its booking's confirmation
only in the browser that booked, and only shortly after: its idempotency key is not a lasting
pass to the private manage link."""

from datetime import timedelta

from django.test import Client

from consultations.calls import actions as booking
from consultations.models import Consultation
from tests.consultations.helpers import booking_data, open_values


def test_another_browser_sending_the_same_form_gets_no_confirmation(client, coordinator):
    data = booking_data(open_values(1)[0])
    assert client.post("/consultation/", data).status_code == 302
    other = Client()
    answer = other.post("/consultation/", data)
    assert answer.status_code == 409
    assert "This form was already sent" in answer.content.decode()
    assert "kc_calls" not in answer.cookies
    call = Consultation.objects.get()
    assert call.manage_token not in answer.content.decode()
    assert other.get(f"/consultation/booked/{call.public_id}/").status_code == 404
    assert Consultation.objects.count() == 1


def test_the_same_browser_sees_its_confirmation_again_only_for_minutes(client, coordinator):
    data = booking_data(open_values(1)[0])
    first = client.post("/consultation/", data)
    assert client.post("/consultation/", data)["Location"] == first["Location"]
    Consultation.objects.update(
        created_at=Consultation.objects.get().created_at - timedelta(minutes=11)
    )
    late = client.post("/consultation/", data)
    assert late.status_code == 409
    assert "This form was already sent" in late.content.decode()


def test_an_old_form_gives_no_pass_to_a_moved_call(client, coordinator):
    times = open_values()
    data = booking_data(times[0])
    client.post("/consultation/", data)
    moved = booking.reschedule(Consultation.objects.get(), start=_another_start(times))
    answer = Client().post("/consultation/", data)
    assert answer.status_code == 409
    assert moved.manage_token not in answer.content.decode()


def test_a_refused_repeat_can_be_sent_again_as_a_new_booking(client, coordinator):
    times = open_values()
    data = booking_data(times[0])
    client.post("/consultation/", data)
    refused = Client().post("/consultation/", {**data, "slot": times[3], "phone": "+13235550123"})
    assert refused.status_code == 409
    fresh_key = refused.context["form"]["idempotency_key"].value()
    assert str(fresh_key) != data["idempotency_key"]


def _another_start(times):
    from consultations.calls.slots import parse_slot_value

    return parse_slot_value(times[4])
