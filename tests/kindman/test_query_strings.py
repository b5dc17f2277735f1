"""Every page of the site answers odd query strings (Unicode digits, other scripts, NUL, huge
numbers) with a clear answer, never a 500: `'²'.isdigit()` is true, yet `int('²')` raises."""

import re
from datetime import time, timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from blog.factories import build_blog_index, build_post
from consultations.factories import (
    build_consultation,
    build_coordinator,
    build_info_session,
    build_rules,
)
from consultations.models import SessionRegistration
from kindman.factories import build_standard_page
from tests.fuzz_helpers import assert_never_500
from therapists.factories import build_therapist, build_therapist_index

# Every query parameter a view or filter of ours reads.
PARAMETERS = [
    "therapist", "week", "page", "p", "tag", "specialty", "q", "works_with", "format",
    "language", "sliding_scale", "accepting", "next", "ordering", "status", "session",
    "interest", "coordinator", "discreet", "attendance", "kind", "starts_at_after",
    "starts_at_before", "export",
]  # fmt: skip
# Digits of other scripts (superscript, Arabic-Indic, full-width, Bengali, mathematical, NKo),
# numerals that are not digits, and other text no view should have to expect.
ODD_VALUES = [
    "²", "١٢", "１２", "৩", "𝟗", "߃", "Ⅻ", "½", "٢٠٢٦-١٢-٠٧", "２０２６-１２-０７", "2026-12-0７",
    "9" * 30, "-1", "1e3", "\x00", "\u202e1", "日本", "",
]  # fmt: skip
ALONE = "²"  # sent to each parameter on its own, in case another one is refused first

SKIPPED_PREFIXES = ("admin/", "documents/", "media/")


def named_patterns(patterns=None, prefix=""):
    """(name, route) of every named URL of the project outside the admin."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            for name, inner in named_patterns(pattern.url_patterns, route):
                yield namespace + name, inner
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name, prefix + str(pattern.pattern)


@pytest.fixture
def every_page(home_page, settings, django_user_model):
    settings.CONSULTATION_RATE_LIMIT = (1_000_000, 600)
    build_standard_page(home_page)
    build_rules(min_notice_hours=0)
    coordinator = build_coordinator(weekdays=range(7), start=time(0), end=time(23, 40))
    build_therapist_index(home_page)
    therapist = build_therapist(slug="robin-vale")
    post = build_post(build_blog_index(home_page), slug="on-rest", authors=[therapist])
    call = build_consultation(coordinator=coordinator, starts_at=timezone.now() + timedelta(days=2))
    session = build_info_session()
    seat = SessionRegistration.objects.create(session=session, name="Sam", email="sam@example.com")
    samples = {
        "public_id": call.public_id,
        "token": call.manage_token,
        "outcome": "cancelled",
        "action": "cancel",
        "slug": session.slug,
    }
    urls = {"/", "/about/", "/blog/", post.url, "/therapists/", therapist.url}
    for name, route in named_patterns():
        if name.startswith("wagtail"):
            continue  # Wagtail's own page routes: the pages above go through them
        kwargs = {key: samples[key] for key in re.findall(r"<(?:\w+:)?(\w+)>", route)}
        if name.startswith("consultations:session_"):
            seat_keys = {"public_id": seat.public_id, "token": seat.manage_token}
            kwargs |= {key: value for key, value in seat_keys.items() if key in kwargs}
        urls.add(reverse(name, kwargs=kwargs))
    admin = django_user_model.objects.create_superuser(
        "admin", "admin@example.com", "pw-1234567890"
    )
    return sorted(urls), admin


def test_every_public_page_answers_odd_query_strings_without_a_500(client, every_page):
    urls, _admin = every_page
    assert len(urls) > 20  # the walk found the site's pages
    for url in urls:
        for value in ODD_VALUES:
            assert_never_500(client, "get", url, dict.fromkeys(PARAMETERS, value))
        for name in PARAMETERS:
            assert_never_500(client, "get", url, {name: ALONE})


ADMIN_LISTINGS = [
    "consultation_agenda:index",
    "consultation_bookings:index",
    "consultation_coordinators:index",
    "consultation_exceptions:index",
    "consultation_emails:index",
    "info_sessions:index",
    "session_registrations:index",
    "newsletter_subscribers:index",
    "wagtailadmin_home",
]


def test_the_coordinators_listings_answer_odd_query_strings_without_a_500(client, every_page):
    _urls, admin = every_page
    client.force_login(admin)
    for name in ADMIN_LISTINGS:
        url = reverse(name)
        for value in ODD_VALUES:
            params = dict.fromkeys(PARAMETERS, value)
            params.pop("export")  # a download, checked below with a real format
            assert_never_500(client, "get", url, params)
        export = client.get(url, {"export": "csv", "q": "²", "page": "１２"})
        assert export.status_code < 500
