"""The page cache: anonymous reading pages are served without rendering, carry validators and
public caching headers, and whatever readers would see differently is shown at the next request:
publishing, unpublishing, moving and deleting pages, and changes to the settings, taxonomies,
images, sites and view restrictions pages show."""

import time

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django.http import HttpResponse
from django.test import override_settings
from django.utils.cache import add_never_cache_headers
from wagtail import hooks
from wagtail.models import PageViewRestriction, Site

from blog.factories import build_blog_index
from kindman.cache import purge
from kindman.factories import build_standard_page, set_privacy_page
from kindman.models import HomePage, PracticeSettings
from therapists.factories import build_therapist
from therapists.models import Specialty

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


def cached(client, path: str) -> str:
    """The page as a second anonymous visit gets it, checked to come from the cache."""
    client.get(path)
    response = client.get(path)
    assert response["X-Page-Cache"] == "hit", path
    return response.content.decode()


def test_second_anonymous_visit_is_served_without_rendering(
    client, home_page, django_assert_num_queries
):
    first = client.get("/")
    assert first.status_code == 200
    assert "X-Page-Cache" not in first
    with django_assert_num_queries(0):  # the test settings keep pages in process memory
        second = client.get("/")
    assert second.status_code == 200
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["Permissions-Policy"] == first["Permissions-Policy"]


def test_cached_pages_carry_public_caching_headers_and_an_etag(client, home_page):
    for response in (client.get("/"), client.get("/")):
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert cache_control == {"public", "max-age=60", "s-maxage=300"}
        assert response["ETag"].startswith('"') and len(response["ETag"]) == 34
        assert not response.cookies


def test_matching_etag_gets_304_without_a_body(client, home_page):
    etag = client.get("/")["ETag"]
    for _ in range(2):  # on a fresh render and from the cache
        purge()
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


def test_publishing_a_page_shows_it_at_the_next_request(client, home_page):
    assert "Therapy that meets you" in cached(client, "/")
    home = HomePage.objects.get(pk=home_page.pk)
    home.hero_heading = "A new heading, just published"
    home.save_revision().publish()
    response = client.get("/")
    assert "X-Page-Cache" not in response
    assert "<h1>A new heading, just published</h1>" in response.content.decode()


def test_a_draft_does_not_change_what_readers_see(client, home_page):
    cached(client, "/")
    home = HomePage.objects.get(pk=home_page.pk)
    home.hero_heading = "Only a draft"
    home.save_revision()
    assert "Only a draft" not in client.get("/").content.decode()


def test_a_newly_published_section_is_in_the_menu_and_routable_at_once(client, home_page):
    assert 'href="/blog/">Blog</a>' not in cached(client, "/")
    assert client.get("/blog/").status_code == 404

    index = build_blog_index(home_page)
    assert 'href="/blog/">Blog</a>' in client.get("/").content.decode()
    assert client.get("/blog/").status_code == 200

    cached(client, "/")
    index.unpublish()
    assert 'href="/blog/">Blog</a>' not in client.get("/").content.decode()
    assert client.get("/blog/").status_code == 404


def test_unpublishing_and_deleting_take_a_page_away_at_once(client, home_page):
    about = build_standard_page(home_page)
    cached(client, "/about/")
    about.unpublish()
    assert client.get("/about/").status_code == 404

    other = build_standard_page(home_page, title="Fees", slug="fees")
    cached(client, "/fees/")
    other.delete()
    assert client.get("/fees/").status_code == 404


def test_a_moved_page_leaves_its_old_address_at_once(client, home_page):
    about = build_standard_page(home_page)
    team = build_standard_page(home_page, title="Our team", slug="team")
    cached(client, "/team/")
    team.move(about, pos="last-child")
    # Wagtail's redirects app sends readers of the old address to the new one.
    response = client.get("/team/")
    assert response.status_code == 301 and response["Location"] == "/about/team/"
    assert client.get("/about/team/").status_code == 200


def test_edited_practice_settings_show_at_once(client, home_page):
    assert "(323) 555-0142" in cached(client, "/")
    practice = PracticeSettings.load()
    practice.phone = "(323) 555-0199"
    practice.save()
    html = client.get("/").content.decode()
    assert "(323) 555-0199" in html and "(323) 555-0142" not in html


def test_choosing_the_privacy_page_shows_its_link_at_once(client, home_page):
    privacy = build_standard_page(home_page, title="Privacy notice", slug="privacy")
    assert "Privacy notice" not in cached(client, "/")
    set_privacy_page(privacy)
    assert 'href="/privacy/">Privacy notice' in client.get("/").content.decode()


def test_a_renamed_specialty_shows_in_the_directory_at_once(client, home_page):
    build_therapist(slug="avery-demo", specialties=["Tending the garden"])
    assert "Tending the garden" in cached(client, "/therapists/")
    specialty = Specialty.objects.get(name="Tending the garden")
    specialty.name = "Tending the allotment"
    specialty.save()
    assert "Tending the allotment" in client.get("/therapists/").content.decode()


def test_making_a_cached_page_private_takes_effect_at_once(client, home_page):
    page = build_standard_page(home_page, title="Team notes", slug="team-notes")
    assert "Team notes" in cached(client, "/team-notes/")

    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.create(name="Clinicians")])

    response = client.get("/team-notes/")
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get("/").status_code == 200  # public pages stay public


def test_a_changed_site_is_rendered_again_at_once(client, home_page):
    cached(client, "/")
    site = Site.objects.get(is_default_site=True)
    site.hostname = "kindman.example"
    site.save()
    # Links are built from the Site, so a stored page may be out of date.
    assert client.get("/").get("X-Page-Cache") != "hit"


def test_records_readers_never_see_leave_the_cache_alone(client, home_page):
    cached(client, "/")
    User.objects.create_user("someone", password="a-long-password-1")
    Group.objects.create(name="Volunteers")
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_signed_in_visitors_are_never_served_or_stored(client, home_page):
    user = User.objects.create_superuser("editor", "editor@example.com", "a-long-password-1")
    client.get("/")  # an anonymous copy is in the cache
    client.force_login(user)
    response = client.get("/")
    assert "X-Page-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")

    client.logout()
    purge()
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


SHARED_IN_THE_DATABASE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kindman_cache",
    },
    "pages_local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}


@override_settings(CACHES=SHARED_IN_THE_DATABASE, PAGE_CACHE_LOCAL_SECONDS=0)
def test_app_servers_share_pages_through_the_database(client, home_page, django_assert_num_queries):
    client.get("/")
    with django_assert_num_queries(1):  # reading the shared table, nothing else
        response = client.get("/")
    assert response["X-Page-Cache"] == "hit"
    purge()


@override_settings(CACHES=SHARED_IN_THE_DATABASE, PAGE_CACHE_LOCAL_SECONDS=60)
def test_a_page_this_process_served_lately_costs_no_query(
    client, home_page, django_assert_num_queries
):
    client.get("/")
    with django_assert_num_queries(0):
        assert client.get("/")["X-Page-Cache"] == "hit"
    caches["pages_local"].clear()  # as in another process, which reads the shared table once
    with django_assert_num_queries(1):
        assert client.get("/")["X-Page-Cache"] == "hit"
    with django_assert_num_queries(0):
        assert client.get("/")["X-Page-Cache"] == "hit"
    purge()


@override_settings(PAGE_CACHE_LOCAL_SECONDS=1)
def test_a_change_made_by_another_process_shows_here_within_the_local_seconds(client, home_page):
    assert "Therapy that meets you" in cached(client, "/")
    # Another process publishes: it empties the shared cache, not this process's memory.
    HomePage.objects.filter(pk=home_page.pk).update(hero_heading="Published elsewhere")
    caches["pages"].clear()
    assert "Therapy that meets you" in client.get("/").content.decode()
    time.sleep(1.1)
    assert "<h1>Published elsewhere</h1>" in client.get("/").content.decode()
