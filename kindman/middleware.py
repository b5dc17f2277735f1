"""Site-wide request handling that no single app owns: security headers, request size limits and
a friendly answer while the database is unreachable."""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.template import loader
from django.templatetags.static import static
from django.utils.cache import add_never_cache_headers

from .outage import kept_answers

ADMIN_PREFIX = "/admin/"

# The Wagtail admin writes inline scripts and style attributes; it is only ever used by
# signed-in staff. Everywhere else the strict base policy holds.
ADMIN_CSP_ADDITIONS = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
    "img-src": ["blob:"],
}
# What Wagtail's preview frames need: to be framed by the admin (our own origin), nothing more.
PREVIEW_CSP_REPLACEMENTS = {"frame-ancestors": ["'self'"]}


def is_admin_preview(request, response) -> bool:
    """A preview the admin shows in a frame of its own: a page or snippet preview (Wagtail
    renders it through the middleware on a request marked `is_preview`, at the object's own
    URL) or a block preview (a view Wagtail marks with X-Frame-Options: SAMEORIGIN)."""
    return getattr(request, "is_preview", False) or (
        request.path_info.startswith(ADMIN_PREFIX)
        and response.get("X-Frame-Options") == "SAMEORIGIN"
    )


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the admin's allowances added by path, in one place rather
    than on dozens of Wagtail's own views; extended where django-csp says to, get_policy_parts.
    No page may be framed (frame-ancestors 'none') but the admin's previews, by the admin."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIX):
            parts.update = {**ADMIN_CSP_ADDITIONS, **(parts.update or {})}
        if is_admin_preview(request, response):
            parts.replace = {**PREVIEW_CSP_REPLACEMENTS, **(parts.replace or {})}
        return parts


class StylesheetPreloadMiddleware:
    """Every page of the site asks for its stylesheet from the response headers (`Link:
    rel=preload`). If the stylesheet is still on its way when the HTML is parsed, Chromium
    styles and lays out the whole page without it, then again with it (seen in the
    bench/lighthouse traces: the longest blocking task on long pages). Placed inside the page
    cache, so cached pages keep the header. Not for the admin, which has its own styles."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.link = None  # made with the first page: the static files' names are set by then

    def __call__(self, request):
        response = self.get_response(request)
        is_html = response.get("Content-Type", "").startswith("text/html")
        if is_html and not request.path_info.startswith(ADMIN_PREFIX):
            if self.link is None:
                self.link = f"<{static('css/site.css')}>; rel=preload; as=style"
            response.setdefault("Link", self.link)
        return response


class PublicPageGZipMiddleware(GZipMiddleware):
    """Gzips pages that hold no secret: anonymous, no CSRF token, no cookie, not private.

    Compression beside a secret and reflected input leaks the secret (BREACH); forms, booking
    and manage pages and everything staff see are therefore sent uncompressed. Static files are
    served pre-compressed by WhiteNoise before this runs."""

    def process_response(self, request, response):
        cache_control = response.get("Cache-Control", "")
        holds_secret = (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            or "HTTP_AUTHORIZATION" in request.META
            or request.META.get("CSRF_COOKIE_USED")
            or response.cookies
            or "private" in cache_control
            or "no-store" in cache_control
        )
        if holds_secret:
            return response
        return super().process_response(request, response)


def render_error_page(template_name: str, status: int, context: dict | None = None) -> HttpResponse:
    """A standalone error template rendered without a request: no context processors, so no
    database query and no cookie."""
    response = HttpResponse(loader.get_template(template_name).render(context), status=status)
    add_never_cache_headers(response)
    return response


class RequestSizeLimitMiddleware:
    """Refuses oversized bodies from their Content-Length before anything reads them.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE only counts non-file fields, and only when the body is
    parsed; this answers early with a page that says what happened. Multipart uploads may be
    larger, but only under UPLOAD_PATH_PREFIXES (the admin)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def limit_for(self, request) -> int:
        is_upload = request.content_type == "multipart/form-data"
        if is_upload and request.path_info.startswith(tuple(settings.UPLOAD_PATH_PREFIXES)):
            return settings.MAX_UPLOAD_REQUEST_SIZE
        # Some room for the multipart boundaries and field names around small form data.
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 16 * 1024

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit_for(request):
            return render_error_page("413.html", status=413)
        return self.get_response(request)


DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def is_database_unavailable(exception: BaseException | None) -> bool:
    """True for errors that mean "cannot reach PostgreSQL" (psycopg's connection failures
    arrive wrapped as Django's OperationalError/InterfaceError), not for bad queries."""
    return isinstance(exception, DATABASE_UNAVAILABLE)


def database_unavailable_response(request=None) -> HttpResponse:
    """The friendly 503; for a form marked with `kindman.outage.keeps_answers`, with the
    visitor's answers kept and a button to send them again."""
    response = render_error_page("503.html", status=503, context=kept_answers(request))
    response["Retry-After"] = "30"
    return response


class DatabaseUnavailableMiddleware:
    """While PostgreSQL is unreachable, views answer the friendly 503 page instead of a 500.

    Failures outside views (in other middleware) reach `kindman.views.server_error`, which
    gives the same answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            return database_unavailable_response(request)
        return None


def client_address(request) -> str:
    """The visitor's address, for every rate limit and the sign-in lockout. Behind trusted
    proxies django-xff has already put the client's address here (settings: TRUSTED_PROXY_COUNT)."""
    return request.META.get("REMOTE_ADDR", "")
