"""Realistic volumes for the benchmark database, generated once (idempotent), then measured.

Run inside Django (`python -m bench.data`, with the bench database in DATABASE_URL):
    seed             make the data if it is not there yet
    measure          print JSON: each page's URL, SQL queries and bytes, rendered uncached
"""

import json
import sys
import tempfile
from pathlib import Path

THERAPISTS = 36
POSTS = 300
BOOKING_WEEKS = 6


def _factory(module_name: str, *names: str):
    """The first builder that exists among `names` in an app's factories module, or None: the
    blog and booking apps bring theirs; the benchmark uses them when they are there."""
    import importlib

    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    for name in names:
        if hasattr(module, name):
            return getattr(module, name)
    return None


def seed() -> None:
    from django.core.management import call_command
    from django.test import override_settings

    from kindman.factories import build_site, build_standard_page
    from kindman.models import StandardPage

    with override_settings(DEMO_LOGINS_FILE=Path(tempfile.gettempdir()) / "bench-logins.txt"):
        call_command("seed_demo", verbosity=0)
    home = build_site()
    for number in range(1, 6):
        slug = f"bench-page-{number}"
        if not StandardPage.objects.filter(slug=slug).exists():
            build_standard_page(home, title=f"Bench page {number} (demo)", slug=slug)

    from therapists.factories import build_therapist
    from therapists.models import TherapistPage

    names = ["Couples", "Grief", "Trauma", "Anxiety", "LGBTQIA+", "Substance use"]
    for number in range(1, THERAPISTS + 1):
        slug = f"bench-therapist-{number:02d}"
        if not TherapistPage.objects.filter(slug=slug).exists():
            build_therapist(
                slug=slug,
                title=f"Demo Therapist {number:02d}",
                specialties=[names[number % 6], names[(number + 2) % 6]],
                languages=["English", "Spanish"][: 1 + number % 2],
            )

    build_post = _factory("blog.factories", "build_blog_post", "build_post")
    if build_post is not None:
        from django.apps import apps

        BlogPage = apps.get_model("blog", "BlogPage")
        for number in range(BlogPage.objects.count() + 1, POSTS + 1):
            build_post(title=f"Demo post {number:03d}", slug=f"bench-post-{number:03d}")

    build_bookings = _factory("consultations.factories", "build_bench_bookings")
    if build_bookings is not None:
        build_bookings(weeks=BOOKING_WEEKS)


def _first_url(label: str):
    from django.apps import apps

    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    page = model.objects.live().public().order_by("path").first()
    return page.url if page else None


def _reverse(name: str):
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def pages() -> list[tuple[str, str | None]]:
    from django.templatetags.static import static

    return [
        ("home page", "/"),
        ("blog index", _first_url("blog.BlogIndexPage")),
        ("a post", _first_url("blog.BlogPage")),
        ("therapist directory", _first_url("therapists.TherapistIndexPage")),
        ("a therapist profile", _first_url("therapists.TherapistPage")),
        ("consultation page", _reverse("consultations:book")),
        ("static CSS (whitenoise)", static("css/site.css")),
    ]


def measure() -> list[dict]:
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    rows = []
    for name, url in pages():
        row = {"name": name, "url": url, "queries": None, "bytes": None}
        if url and not url.startswith("/static/"):
            with override_settings(PAGE_CACHE_ENABLED=False):
                client.get(url)  # warm per-process caches (site root paths, settings)
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
            row.update(status=response.status_code, queries=len(queries))
            row["bytes"] = len(response.content)
            if response.status_code != 200:  # e.g. a page type whose template is not built yet
                row.update(queries=None, bytes=None, skipped=f"answers {response.status_code}")
        rows.append(row)
    return rows


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1:] == ["seed"]:
        seed()
    elif sys.argv[1:] == ["measure"]:
        print(json.dumps(measure()))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
