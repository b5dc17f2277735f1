"""The page cache: anonymous reading pages served without rendering, shared by every app server.

A response is stored only when it is the same for everyone: a GET from a visitor without a
session cookie or credentials, answered 200 by one of settings.PAGE_CACHE_VIEWS, that sets no
cookie and is not marked private/no-store/no-cache. Hits are looked up before sessions or the
database are touched: first in a few seconds of per-process memory ("pages_local", no query),
then in the shared "pages" cache (one query).

Every save or delete of a content model purges both (see `purge_on_change`), so a republished
page is fresh on this server at once, on other servers within PAGE_CACHE_LOCAL_SECONDS, in
browsers within PAGE_CACHE_MAX_AGE and in shared caches in front within PAGE_CACHE_S_MAXAGE.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import get_max_age, patch_cache_control
from django.utils.http import parse_etags

logger = logging.getLogger(__name__)

SHARED, LOCAL = "pages", "pages_local"
# Response headers worth keeping with a stored page (the rest are added again on every answer).
KEPT_HEADERS = {
    "content-type",
    "content-language",
    "content-security-policy",
    "permissions-policy",
    "x-frame-options",
    "vary",
    "link",
}
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache", "max-age=0")


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
    match = getattr(request, "resolver_match", None)
    cache_control = response.get("Cache-Control", "").lower()
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and match is not None
        and match.view_name in settings.PAGE_CACHE_VIEWS
        and not any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES)
        and vary <= {"cookie", "accept-encoding"}
    )


def add_public_headers(response, etag: str, lifetime: int | None = None) -> None:
    response["ETag"] = etag
    patch_cache_control(
        response,
        public=True,
        max_age=min(settings.PAGE_CACHE_MAX_AGE, lifetime or settings.PAGE_CACHE_MAX_AGE),
        s_maxage=min(settings.PAGE_CACHE_S_MAXAGE, lifetime or settings.PAGE_CACHE_S_MAXAGE),
    )


def _get(alias: str, key: str):
    try:
        return caches[alias].get(key)
    except DatabaseError:  # the shared cache lives in PostgreSQL; an outage is just a miss
        return None


def _set(alias: str, key: str, value, timeout=None) -> None:
    cache = caches[alias]
    timeout = min(timeout, cache.default_timeout) if timeout else cache.default_timeout
    try:
        cache.set(key, value, timeout)
    except DatabaseError:
        logger.warning("page cache: could not store a page")


class PageCacheMiddleware:
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

        stored = _get(LOCAL, key)
        if stored is None:
            stored = _get(SHARED, key)
            if stored is not None:
                _set(LOCAL, key, stored, stored.get("lifetime"))
        if stored is not None:
            return self.answer(request, stored)

        response = self.get_response(request)
        if response_is_shareable(request, response):
            # A page whose content changes with time (e.g. upcoming sessions) bounds its own
            # life with a shorter `max-age` (patch_cache_control in its serve()).
            lifetime = get_max_age(response)
            etag = '"' + hashlib.md5(response.content, usedforsecurity=False).hexdigest() + '"'
            add_public_headers(response, etag, lifetime)
            stored = {
                "content": response.content,
                "etag": etag,
                "lifetime": lifetime,
                "headers": [
                    (name, value)
                    for name, value in response.items()
                    if name.lower() in KEPT_HEADERS
                ],
            }
            _set(SHARED, key, stored, lifetime)
            _set(LOCAL, key, stored, lifetime)
            return self.answer(request, stored, response)
        return response

    def answer(self, request, stored: dict, rendered=None):
        # If-None-Match compares weakly: gzip (kindman.middleware) sends our ETag as W/"…".
        etags = [
            etag.removeprefix("W/")
            for etag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))
        ]
        if stored["etag"] in etags or "*" in etags:
            response = HttpResponseNotModified()
        elif rendered is not None:
            return rendered
        else:
            response = HttpResponse(stored["content"])
            for name, value in stored["headers"]:
                response[name] = value
            response["Content-Length"] = str(len(stored["content"]))
            response["X-Page-Cache"] = "hit"
        add_public_headers(response, stored["etag"], stored.get("lifetime"))
        return response


def purge() -> None:
    """Forget every stored page (the whole site: menus and listings show other pages)."""
    caches[LOCAL].clear()
    try:
        # A savepoint, so a failed purge (no cache table yet, during `migrate`) never spoils
        # the transaction that saved the content.
        shared = caches[SHARED]
        if isinstance(shared, DatabaseCache):
            with transaction.atomic(using=router.db_for_write(shared.cache_model_class)):
                shared.clear()
        else:
            shared.clear()
    except DatabaseError:
        logger.info("page cache: could not purge the shared cache")


def _is_ignored(model) -> bool:
    meta = model._meta
    ignored = settings.PAGE_CACHE_IGNORED_MODELS
    return meta.app_label in ignored or meta.label_lower in ignored or is_rendition(model)


def is_rendition(model) -> bool:
    from wagtail.images.models import AbstractRendition

    return issubclass(model, AbstractRendition)


def purge_on_change(sender, **kwargs) -> None:
    if not settings.PAGE_CACHE_ENABLED or _is_ignored(sender):
        return
    purge()
    # Again once the change is visible to other connections, so a page rendered from the old
    # data between the first purge and the commit is not kept.
    transaction.on_commit(purge)


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(purge_on_change, dispatch_uid=f"kindman-page-cache-{id(signal)}")
    # Publishing and unpublishing save the page, which the signals above already catch; these
    # say it out loud and cover unpublishing through a bulk update.
    from wagtail.signals import page_published, page_unpublished

    page_published.connect(purge_on_change, dispatch_uid="kindman-page-cache-published")
    page_unpublished.connect(purge_on_change, dispatch_uid="kindman-page-cache-unpublished")
