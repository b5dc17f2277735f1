"""Reading pages render in a bounded number of queries that does not grow with the number of
posts and therapists, and a private section elsewhere costs public pages nothing more. The page
cache is off in tests, so these are full renders through Wagtail's own routing; each app's
listings are bounded in tests/<app>/test_queries.py."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction

from blog.factories import build_blog_index, build_post
from kindman.factories import (
    alias_page,
    build_standard_page,
    set_privacy_page,
    spanish,
    translate_page,
)
from therapists.factories import build_therapist

pytestmark = pytest.mark.django_db

# The site, Wagtail's routing (a page and its specific page per level), its view-restriction
# check, the site root paths, the practice settings, the navigation and the page's versions in
# other languages (switcher, hreflang), the licences the team holds (which boards' notices the
# footer shows), then what the page shows. A ceiling, not a count.
READING_PAGE_QUERIES = 22
PAGES = ["/", "/privacy/", "/about/", "/about/team/"]


def build_pages(home):
    set_privacy_page(build_standard_page(home, title="Privacy notice", slug="privacy"))
    about = build_standard_page(home)
    build_standard_page(about, title="Our team", slug="team")


def add_posts_and_therapists(home, start: int, stop: int):
    index = build_blog_index(home)
    for number in range(start, stop):
        therapist = build_therapist(slug=f"therapist-{number}", specialties=[f"Topic {number}"])
        build_post(index, slug=f"post-{number}", authors=[therapist], tags=[f"tag {number}"])


def test_site_pages_take_no_more_queries_with_ten_times_the_posts_and_therapists(
    client, home_page, django_assert_max_num_queries
):
    build_pages(home_page)
    add_posts_and_therapists(home_page, 0, 2)
    few = {}
    for path in PAGES:
        assert client.get(path).status_code == 200
        with django_assert_max_num_queries(READING_PAGE_QUERIES) as captured:
            assert client.get(path).status_code == 200
        few[path] = len(captured.captured_queries)

    add_posts_and_therapists(home_page, 2, 20)
    for path in PAGES:
        with django_assert_max_num_queries(few[path]):
            assert client.get(path).status_code == 200


def test_a_private_section_costs_public_pages_no_more_queries(
    client, home_page, django_assert_max_num_queries
):
    build_pages(home_page)
    public = {}
    for path in PAGES:
        client.get(path)
        with django_assert_max_num_queries(READING_PAGE_QUERIES) as captured:
            client.get(path)
        public[path] = len(captured.captured_queries)

    private = build_standard_page(home_page, title="Staff notes", slug="staff")
    build_standard_page(private, title="Rota", slug="rota")
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.create(name="Clinicians")])

    for path in PAGES:
        with django_assert_max_num_queries(public[path]):
            assert client.get(path).status_code == 200
    for path in ("/staff/", "/staff/rota/"):
        response = client.get(path)
        assert response.status_code == 302 and "login" in response["Location"]


def build_spanish_pages(home):
    """The home and the privacy notice translated, the rest shown through aliases."""
    translate_page(home, title="Inicio")
    for page in Page.objects.descendant_of(home).filter(locale__language_code="en"):
        if page.slug == "privacy":
            translate_page(page, title="Aviso de privacidad", slug="privacidad")
        elif page.get_translation_or_none(spanish()) is None:
            alias_page(page)


SPANISH_PAGES = ["/es/", "/es/privacidad/", "/es/about/", "/es/about/team/"]


def test_spanish_pages_take_no_more_queries_with_ten_times_the_posts_and_therapists(
    client, home_page, django_assert_max_num_queries
):
    build_pages(home_page)
    add_posts_and_therapists(home_page, 0, 2)
    build_spanish_pages(home_page)
    few = {}
    for path in SPANISH_PAGES:
        assert client.get(path).status_code == 200, path
        with django_assert_max_num_queries(READING_PAGE_QUERIES) as captured:
            assert client.get(path).status_code == 200
        few[path] = len(captured.captured_queries)

    add_posts_and_therapists(home_page, 2, 20)
    for path in SPANISH_PAGES:
        with django_assert_max_num_queries(few[path]):
            assert client.get(path).status_code == 200
