"""Test and demo data through factory_boy and wagtail-factories: the site with its home page,
and plain pages under it."""

import factory
import wagtail_factories
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


class PublishedPageFactory(wagtail_factories.PageFactory):
    """A page published through a revision, as an editor publishes it (so Wagtail's signals,
    the page cache's purge among them, run); `publish=False` leaves a draft."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True  # publishing saves the page

    @factory.post_generation
    def publish(page, create, extracted, **kwargs):
        publish_page(page, create, extracted)


def publish_page(page, create: bool, extracted) -> None:
    """`PublishedPageFactory`'s last step, for subclasses whose own post-generation steps (such
    as relations kept on the page) must come before it."""
    if not create:
        return
    revision = page.save_revision()
    if extracted is False:
        page.unpublish()  # a draft: made live by add_child, as Wagtail does
    else:
        revision.publish()


class StandardPageFactory(PublishedPageFactory):
    class Meta:
        model = StandardPage

    title = "About us"
    slug = "about"
    summary = "Who we are."
    body = factory.LazyFunction(
        lambda: [{"type": "paragraph", "value": "<p>We are a small practice.</p>"}]
    )


def build_standard_page(parent: Page, **fields) -> StandardPage:
    return StandardPageFactory(parent=parent, **fields)


def spanish() -> Locale:
    return Locale.objects.get_or_create(language_code="es")[0]


def translate_page(page: Page, locale: Locale | None = None, **fields) -> Page:
    """The page's published translation (its parents copied first if they have none yet), with
    `fields` in the new language, as an editor's finished translation would be."""
    locale = locale or spanish()
    translation = page.specific.get_translation_or_none(locale)
    if translation is None or translation.alias_of_id:
        if translation is not None:
            translation.delete()
        translation = page.specific.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


def alias_page(page: Page, locale: Locale | None = None) -> Page:
    """What wagtail-localize keeps in a language's tree for a page not translated yet: an alias
    showing the original's content."""
    return page.specific.copy_for_translation(locale or spanish(), copy_parents=True, alias=True)


def set_privacy_page(page: Page) -> None:
    practice = PracticeSettings.load()
    practice.privacy_page = page
    practice.save()
