"""Small helpers the public templates share: the page title, phone links and monograms."""

import functools
import re
import zlib
from urllib.parse import quote

from django import template
from django.contrib.staticfiles import finders
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

# Portrait backgrounds for people without a photo (see .monogram--N in static/css/site.css).
MONOGRAM_TONES = 6


@register.filter
def with_brand(title, brand):
    """`{% filter with_brand:name %}…{% endfilter %}`: "Title · Brand", naming the brand once
    even when an editor's SEO title already ends with it."""
    title, brand = str(title).strip(), conditional_escape(brand)
    if not title:
        return brand
    if brand and brand in title:
        return mark_safe(title)  # noqa: S308 (already escaped by the template that made it)
    return format_html("{} · {}", mark_safe(title), brand)  # noqa: S308


@register.filter
def tel_href(phone) -> str:
    """`tel:` link target for a number as the practice writes it, e.g. "(323) 555-0142"."""
    return "tel:" + re.sub(r"[^0-9+]", "", str(phone))


@register.filter
def initials(name) -> str:
    """Up to two initials, e.g. "Daniel Reyes-Whitlock" → "DR"."""
    words = re.sub(r"[-‐]", " ", str(name)).split()
    return "".join(word[0] for word in words[:2]).upper()


@register.filter
def monogram_tone(name) -> int:
    """The same background tone for a name every time, from a handful designed to carry
    white initials."""
    return zlib.crc32(str(name).encode()) % MONOGRAM_TONES + 1


@register.filter
def wordmark(name):
    """The practice's name set as in the logo, its ampersand in the accent colour."""
    escaped = str(conditional_escape(name))
    return mark_safe(  # noqa: S308 (escaped above)
        escaped.replace("&amp;", '<span class="brand__amp">&amp;</span>')
    )


@register.filter
def nav_current(path, url) -> str:
    """The `aria-current` value of a navigation link on the page at `path`: "page" on the page
    itself, "true" anywhere below it (a post under the blog), "" elsewhere."""
    path, url = str(path or ""), str(url or "")
    if not url or not path:
        return ""
    if path == url:
        return "page"
    return "true" if url != "/" and url.endswith("/") and path.startswith(url) else ""


@register.simple_tag
@functools.cache
def static_data_uri(path: str) -> str:
    """A small SVG from the static files as a data: URI (the CSP allows data: images)."""
    with open(finders.find(path), encoding="utf-8") as svg:
        return "data:image/svg+xml," + quote(svg.read().strip(), safe=" =:/'\"")
