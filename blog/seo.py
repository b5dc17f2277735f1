"""schema.org data for search engines, serialised safely into a <script type=application/ld+json>."""

import json
from urllib.parse import urljoin

from django.utils.safestring import SafeString, mark_safe

from kindman.models import PracticeSettings
from kindman.origin import public_url

# json.dumps leaves these alone; inside <script> they could end it or start markup.
_UNSAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    payload = json.dumps(data, ensure_ascii=False, default=str).translate(_UNSAFE)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


def organization(request, home=None) -> dict:
    practice = PracticeSettings.load(request_or_site=request)
    url = home.get_full_url(request) if home else public_url("/")
    return {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": practice.name,
        "description": practice.tagline,
        "url": url,
        "telephone": practice.phone,
        "email": practice.email,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": practice.street_address,
            "addressLocality": practice.locality,
            "addressRegion": practice.region,
            "postalCode": practice.postal_code,
            "addressCountry": "US",
        },
    }


def post_structured_data(post, request, image_url: str | None) -> dict:
    practice = PracticeSettings.load(request_or_site=request)
    url = post.get_full_url(request)
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post.summary,
        "datePublished": post.date.isoformat(),
        "url": url,
        "mainEntityOfPage": url,
        "wordCount": post.word_count,
        "keywords": [tag.name for tag in post.tag_list],
        "author": [
            {
                "@type": "Person",
                "name": therapist.title,
                "jobTitle": therapist.role,
                "url": therapist.get_full_url(request),
            }
            for therapist in post.author_list
        ],
        "publisher": {
            "@type": "Organization",
            "name": practice.name,
            "url": urljoin(url, "/"),
        },
    }
    if post.last_published_at:
        data["dateModified"] = post.last_published_at.isoformat()
    if image_url:
        data["image"] = image_url
    return data
