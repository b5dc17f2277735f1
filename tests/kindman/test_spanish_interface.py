"""Every public page type answers under /es/ in Spanish: no interface string of the catalogue
is left in English (only what editors wrote, which wagtail-localize translates, may be)."""

import html
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from blog.factories import build_blog_index, build_post
from consultations.factories import build_coordinator, build_info_session, build_rules
from kindman.factories import build_standard_page, set_privacy_page, translate_page
from therapists.factories import build_therapist, build_therapist_index

pytestmark = pytest.mark.django_db

PO = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"


def english_interface_strings() -> list[str]:
    """The catalogue's English sentences (short words such as "Blog" read the same in both)."""
    found = []
    for entry in polib.pofile(str(PO)):
        if entry.obsolete or entry.msgstr == entry.msgid:
            continue
        for text in re.split(r"%\(\w+\)s|<[^>]+>", entry.msgid):
            text = text.strip(" .,:;()")
            # Names the Spanish keeps as they are ("Open Path Collective") are not English.
            if len(text) >= 14 and " " in text and text not in entry.msgstr:
                found.append(text)
    return found


def visible_text(response) -> str:
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    # Attributes a visitor meets (alt, aria-label, content of the description) count too.
    return html.unescape(page)


@pytest.fixture
def site(home_page):
    from datetime import time

    privacy = build_standard_page(home_page, title="Privacy notice", slug="privacy")
    set_privacy_page(privacy)
    blog = build_blog_index(home_page)
    directory = build_therapist_index(home_page)
    therapist = build_therapist(slug="ana", accepting_new_clients=True)
    build_post(blog, slug="first-post", authors=[therapist])
    build_rules(horizon_days=7)
    build_coordinator("Test Coordinator", weekdays=range(7), start=time(6), end=time(22))
    build_info_session()
    # What editors wrote is translated too (the interface is what this test is about).
    translate_page(
        home_page, title="Inicio", hero_action_label="Agenda una llamada gratuita de 20 minutos"
    )
    translate_page(privacy, title="Aviso de privacidad")
    translate_page(blog, search_description="Lo que escribe nuestro equipo.")
    translate_page(directory, title="Terapeutas")
    return home_page


SPANISH_PAGES = [
    "/es/",
    "/es/privacy/",
    "/es/blog/",
    "/es/blog/first-post/",
    "/es/therapists/",
    "/es/therapists/ana/",
    "/es/consultation/",
    "/es/sessions/",
    "/es/sessions/sex-worker-info-session/",
    "/es/blog/search/?q=therapy",
    "/es/blog/newsletter/",
    "/es/no-such-page/",
]


@pytest.mark.parametrize("path", SPANISH_PAGES)
def test_spanish_pages_show_no_english_interface_string(client, site, path):
    response = client.get(path)
    assert response.status_code in (200, 404), path
    text = visible_text(response)
    assert '<html lang="es">' in text
    left_in_english = [phrase for phrase in english_interface_strings() if phrase in text]
    assert left_in_english == [], path


def test_the_spanish_crisis_box_names_988s_spanish_line(client, site):
    text = visible_text(client.get("/es/consultation/"))
    assert "Si estás en crisis, llama o envía un mensaje de texto al 988" in text
    assert "oprime el 2" in text and "AYUDA" in text


def test_english_pages_are_unchanged(client, site):
    text = visible_text(client.get("/consultation/"))
    assert "What name would you like us to use?" in text
    assert "oprime" not in text
