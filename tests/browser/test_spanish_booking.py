"""Booking the free call in Spanish end to end, with JavaScript and without: the form and its
errors, the confirmation, the manage page, and the confirmation email and calendar invite the
person receives are all in Spanish (and as neutral in discreet mode)."""

from datetime import time

import pytest
from django.core import mail
from icalendar import Calendar
from playwright.sync_api import expect

from consultations.factories import build_coordinator, build_rules
from consultations.models import Consultation
from kindman.factories import build_standard_page, set_privacy_page, translate_page
from tests.browser.conftest import assert_accessible


@pytest.fixture
def bookable(site):
    privacy = build_standard_page(site, title="Privacy notice", slug="privacy")
    set_privacy_page(privacy)
    translate_page(site, title="Inicio")
    translate_page(privacy, title="Aviso de privacidad", slug="privacidad")
    build_rules(horizon_days=7)
    return build_coordinator("Browser Coordinator", weekdays=range(7), start=time(6), end=time(22))


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_booking_a_call_in_spanish(browser, live_server, bookable, javascript):
    discreet = not javascript  # one run in each mode
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/es/consultation/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Agenda una llamada gratuita de 20 minutos"
    )
    expect(page.get_by_text("La Línea 988 te atiende en español")).to_be_visible()

    # Sent empty: the errors are in Spanish, next to their fields.
    page.get_by_role("button", name="Agendar mi llamada").click()
    expect(page.get_by_role("heading", name="Hay un problema")).to_be_visible()
    expect(page.get_by_text("Elige un horario para la llamada.").first).to_be_visible()
    expect(page.get_by_text("Dinos cómo quieres que te llamemos.").first).to_be_visible()
    expect(
        page.get_by_text("Acepta el aviso de privacidad para que podamos llamarte.").first
    ).to_be_visible()

    page.locator("input[name=slot]").first.check()
    page.get_by_label("¿Qué nombre quieres que usemos?").fill("Lupe (prueba)")
    page.get_by_label("Número de teléfono").fill("(323) 555-0177")
    page.get_by_label("Correo electrónico (opcional)").fill("lupe@example.com")
    if discreet:
        page.get_by_label("Mantenerlo discreto").check()
    page.get_by_label("Leí el aviso de privacidad").check()
    page.get_by_role("button", name="Agendar mi llamada").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tu llamada está agendada")
    assert "/es/consultation/booked/" in page.url
    call = Consultation.objects.get()
    assert call.language == "es" and call.discreet == discreet
    manage_url = live_server.url + f"/es/consultation/manage/{call.manage_token}/"
    page.goto(manage_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tu llamada")
    expect(page.get_by_role("link", name="Cancelar mi llamada")).to_be_visible()
    context.close()

    [email] = [message for message in mail.outbox if message.to == ["lupe@example.com"]]
    assert "Hola:" in email.body
    assert f"/es/consultation/manage/{call.manage_token}/" in email.body
    assert "hora del Pacífico (Los Ángeles)" in email.body
    event = Calendar.from_ical(email.attachments[0].get_payload(decode=True)).walk("VEVENT")[0]
    if discreet:
        assert email.subject.startswith("Tu llamada telefónica del ")
        assert "Kindman" not in email.subject + email.body
        assert str(event["SUMMARY"]) == "Llamada telefónica"
        assert str(event["DESCRIPTION"]) == "Te llamaremos al número que nos diste."
    else:
        assert email.subject.startswith("Tu llamada de consulta gratuita con Kindman & Co.: ")
        assert "Te confirmamos tu llamada de consulta gratuita de 20 minutos" in email.body
        assert "oprime" not in email.body or "988" in email.body
        assert str(event["SUMMARY"]) == "Llamada de consulta gratuita con Kindman & Co."


def test_spanish_booking_pages_have_no_serious_accessibility_problems(page, live_server, bookable):
    assert_accessible(page, live_server.url + "/es/consultation/")
    assert_accessible(page, live_server.url + "/es/")
