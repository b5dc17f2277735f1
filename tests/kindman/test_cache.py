"""The page cache: anonymous reading pages are served without rendering, carry validators and
public caching headers, and are purged by any content change."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.http import HttpResponse
from django.test import override_settings
from django.utils.cache import add_never_cache_headers
from wagtail import hooks
from wagtail.models import PageViewRestriction

from kindman.factories import build_standard_page, set_privacy_page
from kindman.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


def test_second_anonymous_visit_is_served_from_memory_without_a_query(
    client, home_page, django_assert_num_queries
):
    first = client.get("/")
    assert first.status_code == 200
    assert "X-Page-Cache" not in first
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second.status_code == 200
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_cached_pages_carry_public_caching_headers_and_an_etag(client, home_page):
    for response in (client.get("/"), client.get("/")):
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert cache_control == {"public", "max-age=60", "s-maxage=300"}
        assert response["ETag"].startswith('"') and len(response["ETag"]) == 34
        assert not response.cookies


def test_matching_etag_gets_304_without_a_body(client, home_page):
    etag = client.get("/")["ETag"]
    for _ in range(2):  # on a fresh render and from the cache
        caches["pages_local"].clear()
        caches["pages"].clear()
        client.get("/")
        response = client.get("/", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == etag
    assert client.get("/", HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_head_is_answered_from_the_cache(client, home_page, django_assert_num_queries):
    client.get("/")
    with django_assert_num_queries(0):
        response = client.head("/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


def test_query_strings_are_cached_separately(client, home_page):
    client.get("/")
    assert "X-Page-Cache" not in client.get("/?page=2")
    assert client.get("/?page=2")["X-Page-Cache"] == "hit"


def test_publishing_a_page_purges_the_cache(client, home_page):
    assert "Therapy that meets you" in client.get("/").content.decode()
    home = HomePage.objects.get(pk=home_page.pk)
    home.hero_heading = "A new heading, just published"
    home.save_revision().publish()
    response = client.get("/")
    assert "X-Page-Cache" not in response
    assert "A new heading, just published" in response.content.decode()


def test_a_draft_does_not_change_what_readers_see(client, home_page):
    client.get("/")
    home = HomePage.objects.get(pk=home_page.pk)
    home.hero_heading = "Only a draft"
    home.save_revision()
    assert "Only a draft" not in client.get("/").content.decode()


def test_unpublishing_and_deleting_purge_the_cache(client, home_page):
    about = build_standard_page(home_page)
    assert client.get("/about/").status_code == 200
    assert client.get("/about/")["X-Page-Cache"] == "hit"
    about.unpublish()
    assert client.get("/about/").status_code == 404

    other = build_standard_page(home_page, title="Fees", slug="fees")
    client.get("/fees/")
    other.delete()
    assert client.get("/fees/").status_code == 404


def test_changing_site_settings_purges_the_cache(client, home_page):
    privacy = build_standard_page(home_page, title="Privacy notice", slug="privacy")
    assert "Privacy notice" not in client.get("/").content.decode()
    set_privacy_page(privacy)
    assert 'href="/privacy/">Privacy notice' in client.get("/").content.decode()


def test_signed_in_visitors_are_never_served_or_stored(client, home_page):
    user = User.objects.create_superuser("editor", "editor@example.com", "a-long-password-1")
    client.get("/")  # an anonymous copy is in the cache
    client.force_login(user)
    response = client.get("/")
    assert "X-Page-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")

    client.logout()
    caches["pages_local"].clear()
    caches["pages"].clear()
    client.force_login(user)
    client.get("/")
    client.logout()
    assert "X-Page-Cache" not in client.get("/"), "a signed-in render must not be stored"


def test_responses_that_set_a_cookie_are_never_cached(client, home_page):
    about = build_standard_page(home_page)
    PageViewRestriction.objects.create(
        page=about, restriction_type=PageViewRestriction.PASSWORD, password="secret-word"
    )
    for _ in range(2):
        response = client.get("/about/")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert "public" not in response.get("Cache-Control", "")
    assert response.cookies, "the password form sets a CSRF cookie"


def test_pages_marked_never_cache_are_not_stored(client, home_page):
    def private_answer(page, request, serve_args, serve_kwargs):
        response = HttpResponse("for one person only")
        add_never_cache_headers(response)
        return response

    with hooks.register_temporarily("before_serve_page", private_answer):
        client.get("/")
        response = client.get("/")
    assert "X-Page-Cache" not in response
    assert "public" not in response["Cache-Control"]
    assert "Therapy that meets you" in client.get("/").content.decode()


def test_a_page_with_a_shorter_max_age_keeps_it_and_is_stored_no_longer(
    client, home_page, monkeypatch
):
    from django.utils.cache import patch_cache_control

    def short_lived(page, request, serve_args, serve_kwargs):
        response = page.serve(request, *serve_args, **serve_kwargs)
        response.render()
        patch_cache_control(response, max_age=20)
        return response

    timeouts = []
    original_set = caches["pages"].set
    monkeypatch.setattr(
        caches["pages"],
        "set",
        lambda key, value, timeout: timeouts.append(timeout) or original_set(key, value, timeout),
    )
    with hooks.register_temporarily("before_serve_page", short_lived):
        response = client.get("/")
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=20", "s-maxage=20"}
    assert timeouts == [20]
    hit = client.get("/")
    assert hit["X-Page-Cache"] == "hit"
    assert {part.strip() for part in hit["Cache-Control"].split(",")} == cache_control


def test_not_found_answers_are_not_cached(client, home_page):
    client.get("/nothing-here/")
    assert "X-Page-Cache" not in client.get("/nothing-here/")


@override_settings(PAGE_CACHE_ENABLED=False)
def test_the_cache_can_be_switched_off(client, home_page):
    client.get("/")
    assert "X-Page-Cache" not in client.get("/")


@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kindman_cache",
        },
        "pages_local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "snapshot": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
)
def test_other_app_servers_share_pages_through_the_database(
    client, home_page, django_assert_num_queries
):
    client.get("/")
    caches["pages_local"].clear()  # as if the next request reached another server
    with django_assert_num_queries(1):
        response = client.get("/")
    assert response["X-Page-Cache"] == "hit"
    caches["pages"].clear()
