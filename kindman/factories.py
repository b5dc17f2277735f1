"""Minimal builders for tests: a site with its home page, and plain pages under it."""

from django.conf import settings
from django.utils.translation import get_supported_language_variant
from wagtail.models import Locale, Page, Site

from kindman.models import HomePage, PracticeSettings, StandardPage
from kindman.origin import site_address


def build_site() -> HomePage:
    """The default site and its home page, created if missing (tests that flush the database,
    such as browser tests, lose what Wagtail's migrations made)."""
    home = HomePage.objects.first()
    if home is not None:
        return home
    Locale.objects.get_or_create(
        language_code=get_supported_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    root.get_children().filter(slug="home").delete()
    home = root.add_child(
        instance=HomePage(
            title="Home",
            slug="home",
            hero_heading="Therapy that meets you where you are",
            hero_text="A relational therapy practice in Highland Park and online.",
            intro="<p>Welcome.</p>",
        )
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={**site_address(), "root_page": home, "site_name": "Test"},
    )
    PracticeSettings.load()  # made with its defaults, as the first page view would
    return home


def build_standard_page(parent: Page, **kwargs) -> StandardPage:
    values = {
        "title": "About us",
        "slug": "about",
        "summary": "Who we are.",
        "body": [{"type": "paragraph", "value": "<p>We are a small practice.</p>"}],
    }
    values.update(kwargs)
    page = parent.add_child(instance=StandardPage(**values))
    page.save_revision().publish()
    return page


def set_privacy_page(page: Page) -> None:
    practice = PracticeSettings.load()
    practice.privacy_page = page
    practice.save()
