"""English at the root and Spanish under /es/: each page says its language, links to itself in
the other language (its translation, or the notice that it has none yet), names its translations
for search engines, and the page cache never hands one language's page to the other's address."""

import re

import pytest

from kindman.factories import alias_page, build_standard_page, translate_page

pytestmark = pytest.mark.django_db


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def switcher_link(response, code: str) -> str | None:
    match = re.search(
        rf'<a href="([^"]+)" hreflang="{code}" lang="{code}">', response.content.decode()
    )
    return match.group(1) if match else None


def test_pages_say_their_language(client, home_page):
    assert html_lang(client.get("/")) == "en"
    assert html_lang(client.get("/es/")) == "es"
    assert html_lang(client.get("/es/consultation/")) == "es"


def test_the_switcher_leads_to_the_translated_page(client, home_page):
    about = build_standard_page(home_page)
    translate_page(home_page, title="Inicio", hero_heading="Terapia a tu manera")
    translate_page(about, title="Quiénes somos", slug="quienes-somos")
    english = client.get("/about/")
    assert switcher_link(english, "es") == "/es/quienes-somos/"
    spanish = client.get("/es/quienes-somos/")
    assert "Quiénes somos" in spanish.content.decode()
    assert switcher_link(spanish, "en") == "/about/"
    assert "todavía no está traducida" not in spanish.content.decode()


def test_an_untranslated_page_says_so_in_spanish_and_links_to_the_english(client, home_page):
    about = build_standard_page(home_page)
    translate_page(home_page, title="Inicio")
    alias_page(about)
    english = client.get("/about/")
    assert switcher_link(english, "es") == "/es/about/"
    spanish = client.get("/es/about/")
    assert spanish.status_code == 200
    body = spanish.content.decode()
    assert "Esta página todavía no está traducida al español." in body
    assert '<a href="/about/" hreflang="en" lang="en">Leer esta página en inglés</a>' in body
    # The English content is marked as English for screen readers.
    assert '<div lang="en">' in body


def test_a_page_with_no_spanish_tree_at_all_is_shown_with_the_notice(client, home_page):
    build_standard_page(home_page)
    spanish = client.get("/es/about/")
    assert spanish.status_code == 200
    assert "Esta página todavía no está traducida al español." in spanish.content.decode()


def test_hreflang_alternates_name_only_real_translations(client, home_page):
    about = build_standard_page(home_page)
    translate_page(home_page, title="Inicio")
    alias_page(about)
    home = client.get("/").content.decode()
    assert '<link rel="alternate" hreflang="en" href="http://testserver/">' in home
    assert '<link rel="alternate" hreflang="es" href="http://testserver/es/">' in home
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/">' in home
    # The Spanish address of the untranslated page shows English: not an alternate.
    assert 'hreflang="es"' not in re.sub(
        r"<body.*", "", client.get("/about/").content.decode(), flags=re.S
    )


def test_the_sitemap_lists_both_languages_with_their_alternates(client, home_page):
    about = build_standard_page(home_page)
    translate_page(home_page, title="Inicio")
    translate_page(about, title="Quiénes somos", slug="quienes-somos")
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/es/quienes-somos/</loc>" in sitemap
    assert "<loc>http://testserver/about/</loc>" in sitemap
    assert (
        '<xhtml:link rel="alternate" hreflang="es" href="http://testserver/es/quienes-somos/"/>'
        in sitemap
    )


def test_the_navigation_leads_to_the_sections_in_the_language_being_read(client, home_page):
    from blog.factories import build_blog_index

    index = build_blog_index(home_page)
    translate_page(home_page, title="Inicio")
    translate_page(index, title="Blog", slug="blog-es")
    assert 'href="/es/blog-es/">Blog</a>' in client.get("/es/").content.decode()
    assert 'href="/blog/">Blog</a>' in client.get("/").content.decode()


@pytest.mark.parametrize("first", ["/", "/es/"])
def test_the_page_cache_never_serves_one_language_at_the_others_address(
    client, home_page, settings, first
):
    settings.PAGE_CACHE_ENABLED = True
    translate_page(home_page, title="Inicio", hero_heading="Terapia a tu manera")
    other = "/es/" if first == "/" else "/"
    for path in (first, first, other, other):
        response = client.get(path)
        assert html_lang(response) == ("es" if path == "/es/" else "en")
    assert client.get("/")["X-Page-Cache"] == "hit"
    assert "Terapia a tu manera" not in client.get("/").content.decode()
    assert "Terapia a tu manera" in client.get("/es/").content.decode()
    # A visitor whose browser prefers Spanish still gets the English page at the English address.
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="es")) == "en"
