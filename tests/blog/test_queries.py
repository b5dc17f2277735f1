"""Rendering the blog index and a post costs the same number of queries with one post, one author
and one tag as with many of each. The pinned totals include the site shell (site lookup, routing
through the home page, view restrictions, practice settings, navigation); the blog's own share is
listed next to each number."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.factories import build_image, build_post
from therapists.factories import build_therapist

pytestmark = pytest.mark.django_db

# Shell for a page two levels deep: site, home, blog index (page + specific), alias check,
# view restrictions, practice settings, navigation, site root paths = 9.
# Index: tag choices, specialty choices, count, posts, hero renditions, tags, authors = 7.
INDEX_QUERIES = 16
# Post (three levels): shell 9 (its own page lookup replaced by the blog's), then the post with
# its hero, hero renditions, tags, authors, author photo renditions, previous/next (one UNION),
# related posts, their hero renditions = 8.
POST_QUERIES = 17


def build_world(index, *, posts: int, authors: int, tags: int):
    therapists = [
        build_therapist(
            slug=f"therapist-{n}",
            photo=build_image(f"Portrait {n}", seed=n, size=(200, 200)),
            photo_alt=f"Portrait of therapist {n}",
            specialties=[f"Specialty {n}"],
        )
        for n in range(authors)
    ]
    made = []
    for n in range(posts):
        made.append(
            build_post(
                index,
                slug=f"post-{n}",
                date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
                authors=therapists,
                tags=[f"tag {t}" for t in range(tags)],
                hero=build_image(f"Hero {n}", seed=n, size=(240, 135)),
            )
        )
    return made


def count_queries(client, path: str) -> int:
    assert client.get(path).status_code == 200  # renditions are made on the first view
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("posts", "authors", "tags"), [(1, 1, 1), (14, 3, 4)])
def test_index_query_count_does_not_grow(client, blog_index, posts, authors, tags):
    build_world(blog_index, posts=posts, authors=authors, tags=tags)
    assert count_queries(client, "/blog/") == INDEX_QUERIES
    assert count_queries(client, "/blog/?tag=tag-0&specialty=specialty-0") == INDEX_QUERIES


@pytest.mark.parametrize(("posts", "authors", "tags"), [(3, 1, 1), (12, 3, 4)])
def test_post_query_count_does_not_grow(client, blog_index, posts, authors, tags):
    made = build_world(blog_index, posts=posts, authors=authors, tags=tags)
    middle = made[len(made) // 2]
    assert count_queries(client, middle.url) == POST_QUERIES
