"""The admin's "Not yet in Spanish" report: live pages in the default language with no Spanish
translation (an alias shows the English, so it does not count). Editors open a page from it and
use wagtail-localize's "Translate this page", whose editor then shows string by string what is
still untranslated."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from wagtail.admin.views.reports import PageReportView
from wagtail.models import Page

TRANSLATE_PERMISSION = "wagtail_localize.submit_translation"


def untranslated_pages(language_code: str = "es"):
    translated = Page.objects.filter(
        translation_key=OuterRef("translation_key"),
        locale__language_code=language_code,
        alias_of__isnull=True,
    )
    return (
        Page.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE, depth__gt=1)
        .exclude(Exists(translated))
        .order_by("path")
    )


class UntranslatedPagesView(PageReportView):
    page_title = "Not yet in Spanish"
    header_icon = "site"
    index_url_name = "kindman_untranslated_pages"
    index_results_url_name = "kindman_untranslated_pages_results"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(TRANSLATE_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        self.queryset = untranslated_pages().select_related("locale").specific(defer=True)
        return super().get_queryset()
