"""A session is held in one language: pages in the other language say so, and the session
cards read in the page's language."""

import re

import pytest

from consultations.factories import build_info_session
from consultations.models import InfoSession
from kindman.factories import translate_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(home_page):
    english = build_info_session(title="Open evening", slug="open-evening", capacity=5)
    spanish = build_info_session(
        title="Tarde de puertas abiertas", slug="tarde-abierta", capacity=5, language="es"
    )
    return english, spanish


def test_each_listing_says_which_sessions_are_held_in_the_other_language(client, sessions):
    english_page = client.get("/info-sessions/").content.decode()
    assert english_page.count("This session is in Spanish.") == 1
    assert "This session is in English." not in english_page

    spanish_page = client.get("/es/info-sessions/").content.decode()
    assert spanish_page.count("Esta sesión es en inglés.") == 1
    assert "Esta sesión es en español." not in spanish_page


def test_a_session_page_says_so_too(client, sessions):
    assert (
        "Esta sesión es en inglés."
        in client.get("/es/info-sessions/open-evening/").content.decode()
    )
    assert "This session is in" not in client.get("/info-sessions/open-evening/").content.decode()
    assert (
        "This session is in Spanish."
        in client.get("/info-sessions/tarde-abierta/").content.decode()
    )


def test_the_home_pages_session_cards_read_in_the_pages_language(client, sessions, home_page):
    home_page.body = [("sessions", {"heading": "Free information sessions", "count": 3})]
    home_page.save_revision().publish()
    InfoSession.objects.filter(slug="open-evening").update(format=InfoSession.Format.ONLINE)

    english = client.get("/").content.decode()
    assert "Pacific Time · Online" in english and "Pacific Time · In person" in english

    translate_page(home_page)
    spanish = client.get("/es/").content.decode()
    assert "hora del Pacífico · En línea" in spanish
    assert "hora del Pacífico · En persona" in spanish
    assert "Esta sesión es en inglés." in spanish
    assert "Pacific" not in spanish.replace("hora del Pacífico", "")


def test_the_coordinators_list_shows_each_sessions_language(coordinator_client, sessions):
    html = coordinator_client.get("/admin/info_sessions/").content.decode()
    cells = re.findall(r"<td[^>]*>\s*(Spanish|English)\s*</td>", html)
    assert sorted(cells) == ["English", "Spanish"]
