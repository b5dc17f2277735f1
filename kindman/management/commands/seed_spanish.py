"""Spanish demo content, made the way an editor makes it: each page is submitted to
wagtail-localize, its strings are translated, and the translation is published. Pages with no
Spanish version are kept in the Spanish tree as aliases of the English (wagtail-localize's
locale synchronisation), which show the "not translated yet" notice. Idempotent."""

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Locale, Page
from wagtail_localize.models import LocaleSynchronization, Translation, TranslationSource
from wagtail_localize.synctree import synchronize_tree

from kindman.spanish_demo import TRANSLATIONS


def translate(page: Page, locale: Locale, strings: dict[str, str]) -> Page:
    """Submit `page` for translation into `locale`, fill in the strings the demo has and publish
    the result (strings left out keep the English, as wagtail-localize's fallback does)."""
    source, created = TranslationSource.get_or_create_from_instance(page)
    if not created:
        source.update_from_db()
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    po = translation.export_po()
    for entry in po:
        if entry.msgid in strings:
            entry.msgstr = strings[entry.msgid]
    translation.import_po(po)
    # Saved as a draft and published here and now: wagtail-localize's own publish waits for the
    # commit, and would then write back the parent's child count from before its children.
    translation.save_target(publish=False)
    target = translation.get_target_instance()
    target.get_latest_revision().publish()
    return target


class Command(BaseCommand):
    help = "Load the Spanish demo content (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        english = Locale.get_default()
        spanish, _created = Locale.objects.get_or_create(language_code="es")
        LocaleSynchronization.objects.get_or_create(locale=spanish, defaults={"sync_from": english})
        # Parents first, so each translation finds its translated parent.
        pages = {page.slug: page for page in Page.objects.filter(locale=english).specific()}
        for slug, strings in TRANSLATIONS.items():
            page = pages.get(slug)
            if page is None:
                continue
            existing = page.get_translation_or_none(spanish)
            if existing is not None and existing.alias_of_id is None:
                continue
            translate(page, spanish, strings)
        # Every other page: an alias in the Spanish tree.
        synchronize_tree(english, spanish)
