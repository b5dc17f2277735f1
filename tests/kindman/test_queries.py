"""The home page and plain pages render in the same few queries however many posts and therapists
the site has, and a private section elsewhere costs public pages nothing. (The blog and therapist
pages are pinned in their own tests/<app>/test_queries.py, test_directory.py and test_profile.py.)
The page cache is off in tests, so these are full renders."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from blog.factories import build_blog_index, build_post
from kindman.factories import build_standard_page, set_privacy_page
from therapists.factories import build_therapist

pytestmark = pytest.mark.django_db

PAGES = {
    # The content version (site, routing, settings, menus, view restrictions from memory), then
    # the site root paths for the canonical link: base.html's `page.full_url` has no request,
    # so Wagtail keeps them on the page object and reads its own cache.
    "/": 2,
    "/privacy/": 2,
    "/about/": 2,
    # Below the home page Wagtail routes as usual: the child, then its specific page.
    "/about/team/": 4,
}


def count_queries(client, path: str) -> int:
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def build_pages(home):
    set_privacy_page(build_standard_page(home, title="Privacy notice", slug="privacy"))
    about = build_standard_page(home)
    build_standard_page(about, title="Our team", slug="team")


@pytest.mark.parametrize("scale", [1, 10], ids=["few", "ten-times-more"])
def test_site_pages_take_the_same_queries_with_ten_times_the_posts_and_therapists(
    client, home_page, scale
):
    build_pages(home_page)
    index = build_blog_index(home_page)
    for number in range(2 * scale):
        therapist = build_therapist(slug=f"therapist-{number}", specialties=[f"Topic {number}"])
        build_post(index, slug=f"post-{number}", authors=[therapist], tags=[f"tag {number}"])
    assert {path: count_queries(client, path) for path in PAGES} == PAGES


def test_a_private_section_costs_public_pages_nothing(client, home_page):
    build_pages(home_page)
    private = build_standard_page(home_page, title="Staff notes", slug="staff")
    build_standard_page(private, title="Rota", slug="rota")
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.create(name="Clinicians")])

    assert {path: count_queries(client, path) for path in PAGES} == PAGES
    for path in ("/staff/", "/staff/rota/"):
        response = client.get(path)
        assert response.status_code == 302 and "login" in response["Location"]
