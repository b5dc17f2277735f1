import sys

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

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
