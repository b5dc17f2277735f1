import contextlib

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
    (_("Blog"), "blog.BlogIndexPage"),
    (_("Therapists"), "therapists.TherapistIndexPage"),
    (_("Free consultation"), "consultations:book"),
    (_("Information sessions"), "consultations:session_list"),
]


def _page_models() -> dict:
    found = {}
    for _label, target in NAVIGATION:
        if ":" not in target:
            with contextlib.suppress(LookupError, ValueError):
                found[target] = apps.get_model(target)
    return found


def site_navigation(request):
    """Header and footer links, with the privacy notice, from one query of live pages: those in
    the language being read, else the default language's."""
    models = _page_models()
    content_types = ContentType.objects.get_for_models(*models.values()) if models else {}
    by_ct = {content_types[model].pk: name for name, model in models.items()}
    privacy_id = PracticeSettings.load(request_or_site=request).privacy_page_id

    page_urls, privacy_url = {}, None
    condition = Q(content_type__in=list(content_types.values()))
    if privacy_id:
        # The privacy notice's translations share its translation key.
        condition |= Q(
            translation_key__in=Page.objects.filter(pk=privacy_id).values("translation_key")
        )
    languages = [get_language(), settings.LANGUAGE_CODE]
    if by_ct or privacy_id:
        found = (
            Page.objects.live()
            .filter(condition, locale__language_code__in=languages)
            .select_related("locale")
            .order_by("path")
        )
        # The page in the language being read wins over the default language's.
        for page in sorted(found, key=lambda page: languages.index(page.locale.language_code)):
            if page.content_type_id in by_ct:
                page_urls.setdefault(by_ct[page.content_type_id], page.get_url(request))
            elif privacy_url is None:
                privacy_url = page.get_url(request)

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
            items.append({"label": label, "url": url, "target": target})
    return {"site_navigation": items, "privacy_url": privacy_url}
