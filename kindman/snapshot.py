"""What every page looks up (the site, its root paths, settings, navigation, the home page and its
children), kept in each app server's memory for one content version.

The content version is a random token in the shared cache ("default", i.e. PostgreSQL). Every
save or delete of content (a model not in settings.CONTENT_VERSION_IGNORED_MODELS) replaces it,
in the saving transaction and again once that transaction commits. A request reads the token once
(one query) and uses only what this process remembered under that same token, so a change made
through any app server is seen by every app server on its next request; what was remembered
under an older token is never read again and ages out of the "snapshot" cache.

Values go through a pickling cache (LocMemCache), so each request gets its own copies and may
change them freely; values remembered `frozen` (tuples of frozen dataclasses, say) are handed
out as they are, unpickled, which is what the booking path needs. Outside a request (commands,
tasks, tests without the middleware) nothing is remembered and every lookup goes to the
database, as Wagtail would.
"""

import logging
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http.request import split_domain_port

logger = logging.getLogger(__name__)

SHARED, LOCAL = "default", "snapshot"
VERSION_KEY = "kindman:content-version"
_MISSING = object()
_version: ContextVar[str | None] = ContextVar("kindman_content_version", default=None)


def _shared_cache_atomic(cache):
    # A failure (no cache table yet, during `migrate`) must not spoil the surrounding transaction.
    if isinstance(cache, DatabaseCache):
        return transaction.atomic(using=router.db_for_write(cache.cache_model_class))
    return transaction.atomic()


def read_version() -> str | None:
    """The shared content version, made if it is missing (a fresh database, or evicted); None
    when the shared cache cannot be read, so the request goes to the database."""
    shared = caches[SHARED]
    try:
        version = shared.get(VERSION_KEY)
        if version is None:
            with _shared_cache_atomic(shared):
                shared.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = shared.get(VERSION_KEY)
    except DatabaseError:
        return None
    return version


def new_version() -> None:
    """Content changed: every app server stops using what it remembered."""
    _version.set(None)  # the rest of this request reads the database
    shared = caches[SHARED]
    try:
        with _shared_cache_atomic(shared):
            shared.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except DatabaseError:
        logger.info("snapshot: could not store a new content version")


def is_active() -> bool:
    return _version.get() is not None


# Frozen values by key, each with the version it was built under; cleared when it grows past
# FROZEN_KEYS (keys that name a day add one a day).
_frozen: dict[str, tuple[str, object]] = {}
FROZEN_KEYS = 256


def remember(key: str, build, *, frozen: bool = False):
    """`build()`, computed once per process and content version. `build` may read only models
    whose changes make a new version (anything not in CONTENT_VERSION_IGNORED_MODELS).

    With `frozen`, every request gets the very same object, so it must be one nobody changes
    (tuples, frozen dataclasses); unpickling a copy cost a booking more than its slot check."""
    version = _version.get()
    if version is None:
        return build()
    if frozen:
        held = _frozen.get(key)
        if held is not None and held[0] == version:
            return held[1]
        value = build()
        if len(_frozen) >= FROZEN_KEYS:
            _frozen.clear()
        _frozen[key] = (version, value)
        return value
    local = caches[LOCAL]
    value = local.get(key, _MISSING, version=version)
    if value is _MISSING:
        value = build()
        local.set(key, value, version=version)
    return value


def site_for_request(request):
    """Wagtail's Site for this request (None if no site matches), with its root page already
    in its most specific form so routing starts without a query."""
    from wagtail.models import Site
    from wagtail.models.sites import get_site_for_hostname

    hostname, port = split_domain_port(request.get_host())[0], request.get_port()

    def build():
        try:
            site = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            return None
        site.root_page = site.root_page.specific
        return site

    return remember(f"site:{hostname}:{port}", build)


def site_root_paths():
    """Wagtail's site root paths (named tuples), as one tuple every request shares: Wagtail only
    reads them."""
    from wagtail.models import Site

    return remember("site-root-paths", lambda: tuple(Site.get_site_root_paths()), frozen=True)


def attach_site(request) -> None:
    """Hands Wagtail the request's Site and the site root paths from memory, through the
    per-request attributes Wagtail itself keeps them in (see `Site.find_for_request` and
    `Page._get_site_root_paths`), unless the request has its Site already. Outside a request
    with a content version it does nothing, and Wagtail reads them itself."""
    if not is_active() or hasattr(request, "_wagtail_site"):
        return
    try:
        request._wagtail_site = site_for_request(request)
    except DisallowedHost:
        return  # CommonMiddleware answers 400 further in
    request._wagtail_cached_site_root_paths = site_root_paths()


# Requests whose Site is attached before the view: they read pages. A form sent with POST is
# mostly answered with a redirect, which needs no Site: a copy of it cost about 4% of a
# booking. Its Site is attached when a page is rendered for it after all (the site's
# context processor, `kindman.context_processors.site_navigation`, does it first).
READING_METHODS = frozenset({"GET", "HEAD"})


class SnapshotMiddleware:
    """Reads the content version once per request and, for requests that read pages, hands
    Wagtail the request's Site and the site root paths from memory (`attach_site`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _version.set(read_version())
        try:
            if request.method in READING_METHODS:
                attach_site(request)
            return self.get_response(request)
        finally:
            _version.reset(token)


def _is_ignored(model) -> bool:
    from kindman.cache import is_rendition

    meta = model._meta
    ignored = settings.CONTENT_VERSION_IGNORED_MODELS
    return meta.app_label in ignored or meta.label_lower in ignored or is_rendition(model)


def content_changed(sender, **kwargs) -> None:
    if _is_ignored(sender):
        return
    new_version()
    # Again once the change is visible to other connections: a server that read the first new
    # version before the commit may have remembered the old content under it.
    transaction.on_commit(new_version)


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(content_changed, dispatch_uid=f"kindman-snapshot-{id(signal)}")
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(content_changed, dispatch_uid=f"kindman-snapshot-{id(signal)}")
