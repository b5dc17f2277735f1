"""The page cache: reading pages that are the same for everyone, kept in Django's cache framework:
the "pages" cache, a PostgreSQL table every app server shares, and in front of it "pages_local",
a few seconds (settings.PAGE_CACHE_LOCAL_SECONDS) of each process's own memory, where a hit needs
no query at all.

A page is stored only when a visitor without a session cookie or credentials GETs one of
settings.PAGE_CACHE_VIEWS and the answer is a 200 that sets no cookie and is not private,
no-store or no-cache. It is served to such visitors before sessions or the database are touched.

The whole cache is emptied (menus and listings show other pages) when a page is published,
unpublished, moved or deleted, and when something pages show changes: see `SHOWN_ON_PAGES`.
The shared cache and the memory of the process that made the change are emptied at once; other
processes (other app servers, other workers) drop their copies within PAGE_CACHE_LOCAL_SECONDS.
Caches in front (a CDN, Varnish) are purged through `wagtail.contrib.frontend_cache`.
"""

import hashlib
import logging

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.http import HttpResponse
from django.utils.cache import get_max_age, patch_cache_control
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.images import get_image_model_string
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

logger = logging.getLogger(__name__)

# Response headers kept with a stored page (the rest are added again on every answer).
KEPT_HEADERS = {
    "content-type",
    "content-language",
    "content-security-policy",
    "permissions-policy",
    "x-frame-options",
    "vary",
    "link",
    "etag",
}
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache", "max-age=0")

# Models that are not pages but show on them: a change to any of them empties the page cache.
SHOWN_ON_PAGES = [
    "kindman.PracticeSettings",
    "therapists.Specialty",
    "therapists.Modality",
    "therapists.Language",
    get_image_model_string(),
    # A page made private must stop being served from the cache at once.
    "wagtailcore.PageViewRestriction",
    # Host names and root pages are in every link.
    "wagtailcore.Site",
]


def pages():
    return caches["pages"]


def local_pages():
    return caches["pages_local"]


def keep_locally(key: str, stored: dict) -> None:
    seconds = settings.PAGE_CACHE_LOCAL_SECONDS
    if seconds > 0:
        local_pages().set(key, stored, min(seconds, stored["lifetime"] or seconds))


def read(key: str) -> dict | None:
    """The stored page: from this process's memory, else from the shared cache (then kept in
    memory for the next few seconds)."""
    if settings.PAGE_CACHE_LOCAL_SECONDS > 0:
        stored = local_pages().get(key)
        if stored is not None:
            return stored
    try:
        stored = pages().get(key)
    except DatabaseError:  # an outage is just a miss; the view answers as it can
        return None
    if stored is not None:
        keep_locally(key, stored)
    return stored


def cache_key(request) -> str:
    scheme = "https" if request.is_secure() else "http"
    address = f"{scheme}://{request.get_host()}{request.get_full_path()}"
    return "page:" + hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()


def request_is_anonymous(request) -> bool:
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def response_is_shareable(request, response) -> bool:
    match = request.resolver_match
    cache_control = response.get("Cache-Control", "").lower()
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and match is not None
        and match.view_name in settings.PAGE_CACHE_VIEWS
        and not any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES)
        # LocaleMiddleware adds Accept-Language to English pages, but their language comes from
        # the address alone (i18n_patterns without an English prefix), so it varies nothing.
        and vary <= {"cookie", "accept-encoding", "accept-language"}
    )


def add_public_headers(response, lifetime: int | None = None) -> None:
    patch_cache_control(
        response,
        public=True,
        max_age=min(settings.PAGE_CACHE_MAX_AGE, lifetime or settings.PAGE_CACHE_MAX_AGE),
        s_maxage=min(settings.PAGE_CACHE_S_MAXAGE, lifetime or settings.PAGE_CACHE_S_MAXAGE),
    )


class PageCacheMiddleware:
    """Placed inside ConditionalGetMiddleware, which gives stored pages their ETag and answers
    304 to browsers that hold the same copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (
            settings.PAGE_CACHE_ENABLED
            and request.method in {"GET", "HEAD"}
            and request_is_anonymous(request)
        ):
            return self.get_response(request)
        try:
            key = cache_key(request)
        except Exception:  # DisallowedHost and friends: let Django answer as usual
            return self.get_response(request)

        stored = read(key)
        if stored is not None:
            response = HttpResponse(stored["content"])
            for name, value in stored["headers"]:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            add_public_headers(response, stored["lifetime"])
            return response

        response = self.get_response(request)
        if response_is_shareable(request, response):
            # A page whose content changes with time bounds its own life with a shorter
            # max-age (patch_cache_control in its serve()); it is stored no longer.
            lifetime = get_max_age(response)
            add_public_headers(response, lifetime)
            response["ETag"] = (
                '"' + hashlib.md5(response.content, usedforsecurity=False).hexdigest() + '"'
            )
            stored = {
                "content": response.content,
                "lifetime": lifetime,
                "headers": [
                    (name, value)
                    for name, value in response.items()
                    if name.lower() in KEPT_HEADERS
                ],
            }
            timeout = min(lifetime or pages().default_timeout, pages().default_timeout)
            try:
                pages().set(key, stored, timeout)
            except DatabaseError:
                logger.warning("page cache: could not store a page")
            else:
                keep_locally(key, stored)
        return response


def purge() -> None:
    """Forget every stored page: in the shared cache and in this process's memory."""
    if not settings.PAGE_CACHE_ENABLED:
        return
    local_pages().clear()
    try:
        # A savepoint: a failed purge (no cache table yet, during `migrate`) must not spoil
        # the transaction that saved the content.
        with transaction.atomic():
            pages().clear()
    except DatabaseError:
        logger.warning("page cache: could not empty the page cache")


def purge_now_and_on_commit() -> None:
    purge()
    # Again once the change is visible to other connections, so a page another server renders
    # from the old data meanwhile is not kept.
    transaction.on_commit(purge)


def purge_front_caches(pages_to_purge) -> None:
    """Sends the pages' URLs to the caches in front (settings.WAGTAILFRONTENDCACHE)."""
    batch = PurgeBatch()
    batch.add_pages(page for page in pages_to_purge if page.depth > 1)
    batch.purge()


def sections_above(page):
    """The live pages above `page` whose listings or menus may show it (its index, the home)."""
    return page.get_ancestors().live()


def page_changed(sender, instance, **kwargs) -> None:
    """Published or unpublished: Wagtail's frontend_cache purges the page's own URL."""
    purge_now_and_on_commit()
    purge_front_caches(sections_above(instance))


def page_moved(sender, instance, parent_page_before, parent_page_after, **kwargs) -> None:
    purge_now_and_on_commit()
    old_parents = parent_page_before.get_ancestors(inclusive=True).live()
    batch = PurgeBatch()
    old_url = parent_page_before.get_full_url()
    if old_url:
        batch.add_url(old_url + instance.slug + "/")
    batch.add_pages(page for page in old_parents if page.depth > 1)
    batch.add_pages(page for page in sections_above(instance) if page.depth > 1)
    batch.purge()


def page_deleted(sender, instance, **kwargs) -> None:
    purge_now_and_on_commit()
    if instance.live:
        purge_front_caches([instance, *sections_above(instance)])


def restriction_changed(sender, instance, **kwargs) -> None:
    """A page made private (or public again): its section is dropped from front caches too."""
    purge_now_and_on_commit()
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        purge_front_caches(page.get_descendants(inclusive=True).live())


def shown_content_changed(sender, **kwargs) -> None:
    purge_now_and_on_commit()


def connect_signals() -> None:
    for signal in (page_published, page_unpublished):
        signal.connect(page_changed, dispatch_uid=f"kindman-page-cache-{id(signal)}")
    post_page_move.connect(page_moved, dispatch_uid="kindman-page-cache-moved")
    # Before the delete, while the page still has its place in the tree.
    pre_delete.connect(page_deleted, sender=Page, dispatch_uid="kindman-page-cache-deleted")
    for label in SHOWN_ON_PAGES:
        model = apps.get_model(label)
        handler = restriction_changed if model is PageViewRestriction else shown_content_changed
        for signal in (post_save, post_delete):
            signal.connect(handler, sender=model, dispatch_uid=f"kindman-page-cache-{label}")
