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


def mark_private(response):
    add_never_cache_headers(response)
    response["Cache-Control"] = "private, no-cache, no-store, must-revalidate, max-age=0"
    # No referrer ever leaves the site. Not "no-referrer": with it, browsers send `Origin: null`
    # on the page's own form posts and Django's CSRF check (rightly) refuses them.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
