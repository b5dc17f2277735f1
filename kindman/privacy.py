"""Response headers for pages that hold or collect personal data (booking, confirmation,
manage, "too many requests"): never stored by a browser or proxy, no referrer sent onwards,
not indexed, and no referrer sent to other sites. Shared with the information-sessions forms."""

from functools import wraps

from django.utils.cache import add_never_cache_headers


def private_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        return mark_private(response)

    return wrapper


def private_form_page(view):
    """`private_page` for a form people should be able to find from a search engine (the booking
    form, an information session): the empty form, as anyone GETs it, holds nothing personal and
    may be indexed; every answer to a POST (errors repeat the visitor's answers) may not."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        indexable = request.method in ("GET", "HEAD") and response.status_code == 200
        return mark_private(response, indexable=indexable)

    return wrapper


def mark_private(response, *, indexable: bool = False):
    add_never_cache_headers(response)
    response["Cache-Control"] = "private, no-cache, no-store, must-revalidate, max-age=0"
    # No referrer ever leaves the site. Not "no-referrer": with it, browsers send `Origin: null`
    # on the page's own form posts and Django's CSRF check (rightly) refuses them.
    response["Referrer-Policy"] = "same-origin"
    if not indexable:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response
