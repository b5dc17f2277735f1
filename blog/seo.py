"""schema.org data for search engines, serialised safely into a <script type=application/ld+json>."""

from datetime import datetime, time

from kindman.origin import page_public_url
from kindman.structured_data import json_ld, local_datetime, practice, practice_reference
from kindman.timezones import PRACTICE_TZ

__all__ = ["json_ld", "organization", "post_structured_data"]


def organization(request, home=None) -> dict:
    """The practice, for the home page (one node with the visit page's, by its @id)."""
    return practice(request)


def published_at(post) -> datetime:
    """The post's date as a date-time: the moment it was first published when that fell on its
    date (Pacific time), else the start of that day."""
    first = post.first_published_at
    if first and first.astimezone(PRACTICE_TZ).date() == post.date:
        return first
    return datetime.combine(post.date, time.min, tzinfo=PRACTICE_TZ)


def post_structured_data(post, request, image_url: str | None) -> dict:
    url = page_public_url(post, request)
    published = published_at(post)
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post.summary,
        "datePublished": local_datetime(published),
        "url": url,
        "mainEntityOfPage": url,
        "wordCount": post.word_count,
        "keywords": [tag.name for tag in post.tag_list],
        "author": [
            {
                "@type": "Person",
                "name": therapist.title,
                "jobTitle": therapist.role,
                "url": page_public_url(therapist, request),
            }
            for therapist in post.author_profiles
        ],
        "publisher": practice_reference(request),
    }
    if post.last_published_at:
        data["dateModified"] = local_datetime(max(post.last_published_at, published))
    if image_url:
        data["image"] = image_url
    return data
