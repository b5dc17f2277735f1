"""A call booked on the Spanish pages is a Spanish call: stored with its language, shown to the
coordinator, named in the (detail-free) staff notice, and its emails link to Spanish pages."""

from django.core import mail
from django.urls import reverse

from consultations.models import Consultation
from tests.consultations.helpers import booking_data, open_values


def test_a_booking_on_the_spanish_pages_is_stored_as_spanish(client, coordinator):
    assert client.post("/es/consultation/", booking_data(open_values(1)[0])).status_code == 302
    assert Consultation.objects.get().language == "es"


def test_a_booking_on_the_english_pages_is_stored_as_english(client, coordinator):
    client.post("/consultation/", booking_data(open_values(1)[0]))
    assert Consultation.objects.get().language == "en"


def test_the_staff_notice_says_to_call_in_spanish_and_nothing_about_the_person(client, coordinator):
    client.post("/es/consultation/", booking_data(open_values(1)[0]))
    [notice] = [m for m in mail.outbox if "robin@example.com" not in m.to]
    assert "please call them in Spanish" in notice.body
    for detail in ("Robin", "555", "robin@example.com", "Secret-note"):
        assert detail not in notice.body


def test_the_clients_emails_link_to_the_spanish_manage_page(client, coordinator):
    client.post("/es/consultation/", booking_data(open_values(1)[0]))
    [confirmation] = [m for m in mail.outbox if m.to == ["robin@example.com"]]
    call = Consultation.objects.get()
    assert f"/es/consultation/manage/{call.manage_token}/" in confirmation.body


def test_the_coordinator_sees_and_filters_by_language(client, coordinator, coordinator_user):
    client.post("/es/consultation/", booking_data(open_values(1)[0]))
    client.post("/consultation/", booking_data(open_values()[6], phone="+13235550123"))
    client.force_login(coordinator_user)
    agenda = client.get(reverse("consultation_agenda:index")).content.decode()
    assert agenda.count("Call in Spanish") == 1
    listing = client.get(reverse("consultation_bookings:index"), {"language": "es"})
    assert listing.context["object_list"].count() == 1
