"""Absolute URLs from the site's one public origin (settings.PUBLIC_ORIGIN), never from a
request's Host header: feeds, robots.txt and emails say the same address whoever asks."""

from urllib.parse import urlsplit

from django.conf import settings


def public_url(path: str) -> str:
    """The absolute URL of a path on the public site ("/blog/" → "https://…/blog/")."""
    return settings.PUBLIC_ORIGIN + path


def page_public_url(page, request=None) -> str:
    """A page's absolute URL (the request only lets Wagtail reuse what it has looked up)."""
    _site_id, _root_url, path = page.get_url_parts(request)
    return public_url(path)


def site_address() -> dict:
    """Host name and port for Wagtail's default Site, so the page URLs Wagtail builds (canonical
    links, the sitemap) start with the public origin too."""
    origin = urlsplit(settings.PUBLIC_ORIGIN)
    return {
        "hostname": origin.hostname,
        "port": origin.port or {"http": 80, "https": 443}[origin.scheme],
    }
