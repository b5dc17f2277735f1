import contextlib

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from wagtail.models import Page

from kindman.models import PracticeSettings

# (label, "app_label.PageModel" or "namespace:url_name"); entries whose page or URL does not
# exist yet are left out, so later features appear in the header as they land.
NAVIGATION = [
    ("Our therapists", "therapists.TherapistIndexPage"),
    ("Information sessions", "consultations:session_list"),
    ("Blog", "blog.BlogIndexPage"),
    ("Free consultation", "consultations:book"),
]
# The one the header shows as a button: where most visitors mean to go.
PRIMARY = "consultations:book"
# Section pages other templates link to (the home page's blocks), by a short name.
SECTIONS = {"therapists": "therapists.TherapistIndexPage", "blog": "blog.BlogIndexPage"}


def _page_models() -> dict:
    found = {}
    for target in [target for _label, target in NAVIGATION] + list(SECTIONS.values()):
        if ":" not in target:
            with contextlib.suppress(LookupError, ValueError):
                found[target] = apps.get_model(target)
    return found


def site_navigation(request):
    """Header and footer links, the section pages' URLs and the privacy notice, from one query
    of live pages."""
    models = _page_models()
    content_types = ContentType.objects.get_for_models(*models.values()) if models else {}
    by_ct = {content_types[model].pk: name for name, model in models.items()}
    privacy_id = PracticeSettings.load(request_or_site=request).privacy_page_id

    page_urls, privacy_url = {}, None
    condition = Q(content_type__in=list(content_types.values()))
    if privacy_id:
        condition |= Q(pk=privacy_id)
    if by_ct or privacy_id:
        for page in Page.objects.live().filter(condition).order_by("path"):
            if page.pk == privacy_id:
                privacy_url = page.get_url(request)
            elif page.content_type_id in by_ct:
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
    return {"site_navigation": items, "section_urls": section_urls, "privacy_url": privacy_url}
