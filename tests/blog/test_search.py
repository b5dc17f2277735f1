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
    assert '<meta name="robots" content="noindex">' in html  # results pages stay unindexed
    assert not response.cookies


def test_the_empty_search_page_may_be_indexed_but_results_may_not(client, searchable):
    assert '"robots"' not in client.get("/search/").content.decode()
    assert '<meta name="robots" content="noindex">' in client.get("/search/?q=a").content.decode()


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
