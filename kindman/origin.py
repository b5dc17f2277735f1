"""Absolute URLs from the site's one public origin (settings.PUBLIC_ORIGIN), never from a
request's Host header: feeds, robots.txt and emails say the same address whoever asks."""

from urllib.parse import urlsplit

from django.conf import settings


def site_address() -> dict:
    """Host name and port for Wagtail's default Site, so the page URLs Wagtail builds (canonical
    links, the sitemap) start with the public origin too."""
    origin = urlsplit(settings.PUBLIC_ORIGIN)
    return {
        "hostname": origin.hostname,
        "port": origin.port or {"http": 80, "https": 443}[origin.scheme],
    }
