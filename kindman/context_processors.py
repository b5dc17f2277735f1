import contextlib
from functools import partial

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from kindman.models import PracticeSettings

# (label, "app_label.PageModel" or "namespace:url_name"); entries whose page or URL does not
# exist yet are left out, so later features appear in the header as they land.
NAVIGATION = [
    (_("Our therapists"), "therapists.TherapistIndexPage"),
    (_("Information sessions"), "consultations:session_list"),
    (_("Blog"), "blog.BlogIndexPage"),
    (_("Free consultation"), "consultations:book"),
]
# The one the header shows as a button: where most visitors mean to go.
PRIMARY = "consultations:book"
# Section pages other templates link to (the home page's blocks), by a short name.
SECTIONS = {"therapists": "therapists.TherapistIndexPage", "blog": "blog.BlogIndexPage"}


# The practice pages the footer (and the booking page) link to: key → page model. The
# telehealth consent is the one chosen in the practice settings.
LEGAL_PAGES = {
    "visit": "kindman.VisitPage",
    "fees": "kindman.FeesPage",
    "faq": "kindman.FAQPage",
    "good_faith_estimate": "kindman.GoodFaithEstimatePage",
    "accessibility": "kindman.AccessibilityPage",
}


def _page_models() -> dict:
    found = {}
    targets = [target for _label, target in NAVIGATION if ":" not in target]
    for target in [*targets, *SECTIONS.values(), *LEGAL_PAGES.values()]:
        with contextlib.suppress(LookupError, ValueError):
            found[target] = apps.get_model(target)
    return found


def site_navigation(request):
    """Header and footer links, the section pages' URLs, the privacy notice, the telehealth
    consent and the practice pages, from one query of live pages: those in the language being
    read, else the default language's."""
    models = _page_models()
    content_types = ContentType.objects.get_for_models(*models.values()) if models else {}
    by_ct = {content_types[model].pk: name for name, model in models.items()}
    practice = PracticeSettings.load(request_or_site=request)
    chosen = {
        "privacy": practice.privacy_page_id,
        "telehealth": practice.telehealth_consent_page_id,
    }

    page_urls, notice_urls = {}, {}
    condition = Q(content_type__in=list(content_types.values()))
    chosen_keys = {}
    for key, pk in chosen.items():
        if pk:
            # A chosen page's translations share its translation key.
            chosen_keys[key] = Page.objects.filter(pk=pk).values("translation_key")
            condition |= Q(translation_key__in=chosen_keys[key])
    languages = [get_language(), settings.LANGUAGE_CODE]
    if by_ct or any(chosen.values()):
        found = list(
            Page.objects.live()
            .filter(condition, locale__language_code__in=languages)
            .select_related("locale")
            .order_by("path")
        )
        chosen_translation_keys = {
            page.translation_key: key
            for page in found
            for key, pk in chosen.items()
            if page.pk == pk
        }
        # The page in the language being read wins over the default language's.
        for page in sorted(found, key=lambda page: languages.index(page.locale.language_code)):
            key = chosen_translation_keys.get(page.translation_key)
            if key is not None:
                notice_urls.setdefault(key, page.get_url(request))
            if page.content_type_id in by_ct:
                page_urls.setdefault(by_ct[page.content_type_id], page.get_url(request))

    items = []
    for label, target in NAVIGATION:
        if ":" in target:
            try:
                url = reverse(target)
            except NoReverseMatch:
                continue
        else:
            url = page_urls.get(target)
        if url:
            items.append({"label": label, "url": url, "primary": target == PRIMARY})
    section_urls = {name: page_urls.get(target) for name, target in SECTIONS.items()}
    legal_links = {
        key: page_urls[target] for key, target in LEGAL_PAGES.items() if target in page_urls
    }
    if "telehealth" in notice_urls:
        legal_links["telehealth"] = notice_urls["telehealth"]
    return {
        "site_navigation": items,
        "section_urls": section_urls,
        "privacy_url": notice_urls.get("privacy"),
        "legal_links": legal_links,
        # Called by the footer when it renders, so admin pages do not pay for it.
        "licensing_boards": partial(licensing_boards, practice),
    }


def licensing_boards(practice) -> list:
    """The boards whose consumer notice the footer shows: those regulating a licence that a
    published profile holds (in any language), or every board while no profile is published."""
    try:
        therapist_page = apps.get_model("therapists.TherapistPage")
    except LookupError:
        held = set()
    else:
        held = set(
            therapist_page.objects.live()
            .order_by()
            .values_list("licence_type", flat=True)
            .distinct()
        )
    boards = [block.value for block in practice.licensing_boards]
    return [board for board in boards if held & set(board["regulates"])] or boards
