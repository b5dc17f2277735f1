"""The Spanish demo content: made through wagtail-localize, once, with the home page, the
section pages, the two therapists who work in Spanish and one post in
Spanish, and every other page kept in the Spanish tree as an alias that says it is untranslated."""

import pytest
from django.core.management import call_command
from wagtail.models import Page
from wagtail_localize.models import Translation

from therapists.models import TherapistPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db, django_capture_on_commit_callbacks):
    # As after a real run's commit (the page cache's purges and the like).
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)


def test_seeding_twice_changes_nothing(seeded):
    counts = (Page.objects.count(), Translation.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Page.objects.count(), Translation.objects.count()) == counts


def test_the_page_tree_stays_whole(seeded):
    for page in Page.objects.all():
        assert page.numchild == page.get_children().count(), page.url_path


def test_every_english_page_has_a_spanish_version(seeded):
    english = Page.objects.filter(locale__language_code="en", depth__gte=2)
    spanish_keys = set(
        Page.objects.filter(locale__language_code="es").values_list("translation_key", flat=True)
    )
    assert {page.translation_key for page in english} <= spanish_keys


def test_the_spanish_pages_are_translations_editors_can_keep_in_sync(seeded):
    translated = Translation.objects.filter(target_locale__language_code="es")
    slugs = {translation.get_target_instance().slug for translation in translated}
    assert {"inicio", "terapeutas", "daniel-reyes-whitlock", "priya-castellanos"} <= slugs
    assert "por-que-la-terapia-relacional-importa-mas-que-nunca" in slugs


def test_the_spanish_home_page_is_in_spanish(client, seeded):
    html = client.get("/es/").content.decode()
    assert '<html lang="es">' in html
    assert "<h1>Terapia que te acompaña desde donde estás</h1>" in html
    for item in ("Una llamada gratuita de 20 minutos", "Sesión de pareja, 80 minutos"):  # lists
        assert item in html
    assert 'hreflang="en" href="http' in html


def test_two_spanish_speaking_therapists_have_spanish_profiles(client, seeded):
    speakers = TherapistPage.objects.filter(
        locale__language_code="en", languages__slug="spanish"
    ).values_list("slug", flat=True)
    assert len(speakers) >= 2
    for slug in speakers:
        html = client.get(f"/es/terapeutas/{slug}/").content.decode()
        assert "todavía no está traducida" not in html
        assert "Perfil de demostración" in html


def test_an_untranslated_post_says_so_in_spanish_and_links_to_the_english(client, seeded):
    html = client.get("/es/blog/on-sex-work-therapy/").content.decode()
    assert "Esta página todavía no está traducida al español." in html
    assert 'href="/blog/on-sex-work-therapy/" hreflang="en"' in html
