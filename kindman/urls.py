from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from kindman import views
from kindman.sitemaps import TranslatedSitemap

handler400 = "kindman.views.bad_request"
handler500 = "kindman.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": TranslatedSitemap}}, name="sitemap"),
    path("admin/", include(wagtailadmin_urls)),
    # Ahead of Wagtail's own pattern for the same URL, which `Document.url` still reverses to.
    re_path(r"^documents/(\d+)/(.*)$", views.serve_document),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.SERVE_MEDIA:
    # Uploaded images from the local media folder (object storage serves its own); anything else
    # under /media/ falls through to a 404.
    urlpatterns.append(
        re_path(r"^media/(?P<folder>original_images|images)/(?P<name>[^/]+)$", views.serve_image)
    )

# What visitors read and fill in, in English at the root and in Spanish under /es/. Wagtail
# serves every page of the tree; it must come last.
urlpatterns += i18n_patterns(
    path("", include("blog.urls")),
    path("", include("therapists.urls")),
    path("", include("consultations.urls")),
    path("", include("kindman.practice.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
