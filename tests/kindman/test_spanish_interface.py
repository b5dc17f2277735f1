"""Every public page type answers under /es/ in Spanish: no interface string of the catalogue
is left in English (only what editors wrote, which wagtail-localize translates, may be)."""

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.forms.models import model_to_dict
from django.template.loader import render_to_string
from django.utils import translation

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


# --- Every practice page, English against Spanish --------------------------------------------
#
# The check above only knows the catalogue's sentences, so a string never put through the
# translation framework slips by. Here each page is rendered in both languages and any text a
# visitor meets on the Spanish page that is word for word on the English one fails the test,
# unless editors wrote it (wagtail-localize translates that) or it is a name or a number.

# Read the same in both languages, or are names the Spanish keeps.
SAME_IN_BOTH = {
    "Kindman & Co.",  # the practice's name, in every page title
    "Kindman",  # and in the logo, in pieces
    "Co.",
    "Blog",
    "Email",  # the Spanish uses the English word as a label for the address
    "Instagram",
    "LinkedIn",
    "VoiceOver",
}
VISITOR_ATTRIBUTES = {"alt", "aria-label", "placeholder", "title"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
VOID_ELEMENTS |= {"source", "track", "wbr"}


class TextNodes(HTMLParser):
    """Text nodes and visitor-facing attributes, leaving out scripts, styles and anything marked
    as being in another language (the switcher's "English")."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.open: list[tuple[str, bool]] = []
        self.language = None

    @property
    def skipping(self) -> bool:
        return any(skip for _tag, skip in self.open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.language = attrs.get("lang")
        skip = tag in ("script", "style") or attrs.get("lang", self.language) != self.language
        if not skip and not self.skipping:
            self.found += [value for name, value in attrs.items() if name in VISITOR_ATTRIBUTES]
        if tag not in VOID_ELEMENTS:
            self.open.append((tag, skip))

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        if not self.skipping:
            self.found.append(data)


def text_nodes(markup: str) -> list[str]:
    parser = TextNodes()
    parser.feed(markup)
    return [text for text in (" ".join(found.split()) for found in parser.found) if text]


def strings_in(value) -> list[str]:
    """Every string inside a serialised value (a StreamField's JSON included)."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings_in(item)]
    if isinstance(value, str):
        if value[:1] in "[{":
            try:
                return strings_in(json.loads(value))
            except ValueError:
                pass
        return [value, *text_nodes(value)] if "<" in value else [value]
    return []


def editor_content() -> list[str]:
    """What editors and staff wrote: pages (with their inline rows and stream blocks), settings
    and snippets. Longest first, so a title is taken out before a word inside it."""
    from wagtail.models import Page, Site
    from wagtail.snippets.models import get_snippet_models

    from consultations.calls.models import BookingRules
    from consultations.sessions.models import InfoSession
    from kindman.models import PracticeSettings

    found = [site.site_name for site in Site.objects.all()]
    for page in Page.objects.specific():
        found += strings_in(page.serializable_data())
    for model in [*get_snippet_models(), PracticeSettings, BookingRules, InfoSession]:
        for row in model.objects.all():
            found += strings_in(model_to_dict(row))
    return sorted({text.strip() for text in found if len(text.strip()) > 1}, key=len, reverse=True)


def interface_text(markup: str, editors: list[str]) -> set[str]:
    """The page's text nodes with editors' words taken out; what has no letter left (numbers,
    prices, times, punctuation) or is a name in SAME_IN_BOTH is dropped."""
    found = set()
    for node in text_nodes(markup):
        for text in [*editors, *SAME_IN_BOTH]:
            if text in node:
                node = node.replace(text, " ")
        # Web and email addresses, and abbreviations both languages use.
        node = re.sub(r"[\w.+-]+@[\w-]+(\.[\w-]+)+|\b[\w-]+(\.[\w-]+)+\b", " ", node)
        node = re.sub(r"\b(AM|PM|USD|PDF|CA)\b", " ", node)
        if re.search(r"[^\W\d_]", node):
            found.add(" ".join(node.split()))
    return found


def english_left_on(client, spanish_path: str, data=None) -> list[str]:
    english_path = spanish_path.removeprefix("/es")
    if data is None:
        english, spanish = client.get(english_path), client.get(spanish_path)
    else:
        english, spanish = client.post(english_path, data), client.post(spanish_path, data)
    assert english.status_code == spanish.status_code, spanish_path
    assert '<html lang="es">' in spanish.content.decode()
    editors = editor_content()
    return sorted(
        interface_text(spanish.content.decode(), editors)
        & interface_text(english.content.decode(), editors)
    )


@pytest.fixture
def practice_site(home_page):
    from django.core.management import call_command
    from wagtail.models import Page

    call_command("seed_practice_pages", verbosity=0)
    # Translated as an editor starts: the content still in English (that is editors' work), the
    # interface around it in Spanish.
    for page in Page.objects.child_of(home_page).live():
        translate_page(page)
    return home_page


PRACTICE_PAGES = [
    "/es/privacy/",
    "/es/telehealth-consent/",
    "/es/good-faith-estimate/",
    "/es/accessibility/",
    "/es/fees/",
    "/es/fees/?fee=200&allowed=150&percent=60&deductible=300&sessions=4",
    "/es/fees/?fee=200&allowed=150&percent=60&deductible=0&sessions=1",
    "/es/fees/?fee=&percent=many&deductible=-1&sessions=0",
    "/es/faq/",
    "/es/visit/",
    "/es/accessibility/report/",
    "/es/accessibility/report/sent/",
]


@pytest.mark.parametrize("path", PRACTICE_PAGES)
def test_spanish_practice_pages_show_no_english_interface_text(client, practice_site, path):
    assert english_left_on(client, path) == []


def test_the_spanish_problem_report_shows_its_errors_in_spanish(client, practice_site):
    sent = {"problem": "", "reply_email": "not an address"}
    assert english_left_on(client, "/es/accessibility/report/", data=sent) == []


def test_the_sign_in_lockout_page_reads_in_spanish():
    context = {"failure_limit": 5, "username": "ana"}
    with translation.override("en"):
        english = render_to_string("axes/lockout.html", context)
    with translation.override("es"):
        spanish = render_to_string("axes/lockout.html", context)
    assert "ana" in spanish
    assert interface_text(spanish, ["ana"]) & interface_text(english, ["ana"]) == set()
