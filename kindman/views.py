import sys

from csp.constants import HEADER as CSP_HEADER
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.views import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from wagtail.documents.views import serve as wagtail_documents

from kindman.middleware import (
    database_unavailable_response,
    is_database_unavailable,
    render_error_page,
)
from kindman.origin import public_url


@never_cache
@require_safe
def healthz(request):
    """For load balancers: 200 while the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        connection.close_if_unusable_or_obsolete()
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /consultation/manage/",
        "Disallow: /es/consultation/manage/",
        f"Sitemap: {public_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def server_error(request):
    """handler500: the 503 page when the cause is an unreachable database (raised outside a view,
    e.g. in middleware), the plain 500 page otherwise; neither touches the database."""
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    return render_error_page("500.html", status=500)


def bad_request(request, exception):
    """handler400: malformed or oversized input gets a page that says so, not a bare "Bad Request"."""
    return render_error_page("400.html", status=400)


# For what editors upload: no script, style, frame or form runs, and it has an origin of its own.
UPLOAD_POLICY = "default-src 'none'; sandbox"


def serve_document(request, document_id, document_filename):
    """Wagtail's document view (collection privacy, attachment, nosniff, `default-src 'none'`),
    with `sandbox` added to the file's policy; its other answers (the password form, the sign-in
    redirect) keep the site's."""
    response = wagtail_documents.serve(request, document_id, document_filename)
    if isinstance(response, FileResponse):
        response[CSP_HEADER] = UPLOAD_POLICY
    return response


@require_safe
def serve_image(request, folder, name):
    """`/media/` with local storage: Wagtail's original images and renditions, nothing else (not
    documents, which go through `serve_document`). WhiteNoise would not do: it only serves files
    it found at start-up, and uploads arrive while the site runs."""
    if name.rpartition(".")[2].lower() not in settings.WAGTAILIMAGES_EXTENSIONS:
        raise Http404
    response = static.serve(request, f"{folder}/{name}", document_root=settings.MEDIA_ROOT)
    response[CSP_HEADER] = UPLOAD_POLICY
    return response
