"""Site search over posts and therapist profiles."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blog.factories import build_post, paragraph
from therapists.factories import build_therapist

pytestmark = pytest.mark.django_db


@pytest.fixture
def searchable(blog_index, author):
    build_post(
        blog_index,
        slug="on-grief",
        title="On Grief and Gardening",
        summary="Tending tomatoes after a loss.",
        body=[paragraph("Compost, patience and mourning.")],
        authors=[author],
    )
    build_post(blog_index, slug="a-draft", title="Gardening draft", authors=[author], publish=False)
    build_therapist(
        slug="priya-castellanos",
        title="Priya Castellanos",
        short_bio="Priya works with grief, trauma and gardening metaphors (demo).",
    )


def test_finds_posts_and_therapists_and_says_which_is_which(client, searchable):
    response = client.get("/search/", {"q": "gardening"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "On Grief and Gardening" in html and "Priya Castellanos" in html
    assert "Gardening draft" not in html
    assert "Blog post" in html and "Therapist" in html
    assert "Tending tomatoes after a loss." in html
    assert not response.cookies


@pytest.mark.parametrize("query", ["gardening", "cheap pills at example dot com"])
def test_the_query_shows_only_in_the_search_box(client, searchable, query):
    """Results pages may be indexed: they hold only the practice's own words. A stranger's
    query (a link to a made-up search) appears in the box, not in the title or any text."""
    html = client.get("/search/", {"q": query}).content.decode()
    assert f'value="{query}"' in html
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    status = html.split('role="status">', 1)[1].split("</p>", 1)[0]
    assert title.startswith("Search results") and query not in title
    assert status in ("2 results", "Nothing matched your search. Try fewer or different words.")
    assert '"robots"' not in html  # indexable, as /search/ itself is


def test_searches_post_bodies(client, searchable):
    assert "On Grief and Gardening" in client.get("/search/?q=compost").content.decode()


def test_empty_search_shows_only_the_form(client, searchable):
    html = client.get("/search/").content.decode()
    assert 'name="q"' in html and "result" not in html.lower().split("<main", 1)[1]


def test_search_results_are_paginated(client, blog_index, author):
    for n in range(12):
        build_post(blog_index, slug=f"walk-{n}", title=f"Walking note {n}", authors=[author])
    first = client.get("/search/?q=walking").content.decode()
    assert "12 results" in first and 'href="?q=walking&amp;page=2"' in first
    assert client.get("/search/?q=walking&page=2").status_code == 200
    assert client.get("/search/?q=walking&page=banana").status_code == 200


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=300))
def test_any_query_is_answered_without_error(client, searchable, query):
    response = client.get("/search/", {"q": query, "page": query[:5]})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query", ['"', "&|!", "a:b", "(((", "' OR 1=1 --", "x" * 5000, "%", "\x00", "a\x00b"]
)
def test_odd_queries_are_answered(client, searchable, query):
    assert client.get("/search/", {"q": query}).status_code == 200
