"""The sitemap: every live public page in every language, each with its translations as
`hreflang` alternates (https://developers.google.com/search/docs/specialty/international/localized-versions#sitemap)."""

from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class TranslatedSitemap(Sitemap):
    def items(self):
        # Wagtail's own sitemap walks the site's root page alone: the English tree.
        roots = Page.objects.filter(
            translation_key=self.get_wagtail_site().root_page.translation_key
        )
        under_a_root = Q()
        for root in roots:
            under_a_root |= Q(path__startswith=root.path)
        return (
            Page.objects.filter(under_a_root)
            .live()
            .public()
            # An alias shows another language's page: not a page in its own language.
            .filter(alias_of__isnull=True)
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        family, key_of = defaultdict(list), {}
        for item in self.items().select_related("locale"):
            location = item.get_full_url(self.request)
            key_of[location] = item.translation_key
            family[item.translation_key].append((item.locale.language_code, location))
        for url in urls:
            versions = family.get(key_of.get(url["location"]), [])
            if len(versions) > 1:
                url["alternates"] = [
                    {"lang_code": code, "location": location} for code, location in versions
                ] + [
                    {"lang_code": "x-default", "location": location}
                    for code, location in versions
                    if code == settings.LANGUAGE_CODE
                ]
        return urls
