"""Every blog reading page renders in the same few queries with a handful of posts as with ten
times as many posts, authors and tags. The page cache is off in tests, so these are full renders;
the site's shell (site, routing to the blog, settings, navigation, view restrictions) comes from
the per-process snapshot for one query: reading the content version (kindman/snapshot.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.factories import build_image, build_post
from therapists.factories import build_therapist

pytestmark = pytest.mark.django_db

PAGES = {
    # Version, count, posts, their hero renditions, tags, authors; the filter choices are
    # remembered with the snapshot.
    "/blog/": 6,
    "/blog/?tag=tag-0": 6,
    "/blog/?specialty=specialty-0": 6,
    "/blog/?tag=tag-0&specialty=specialty-0": 6,
    "/blog/?page=2": 6,
    # Version, the post with its hero image, tags, authors with their photos, previous/next
    # (one UNION), related posts, then every rendition on the page in one query.
    "/blog/post-1/": 7,
    # Version, count, the matches with their posts and profiles joined in.
    "/search/?q=demo": 3,
    # Version, the blog index, posts, their tags, their authors.
    "/blog/feed/": 5,
}


def build_world(index, *, posts: int, authors: int, authors_per_post: int, tags_per_post: int):
    therapists = [
        build_therapist(
            slug=f"therapist-{n}",
            photo=build_image(f"Portrait {n}", seed=n, size=(200, 200)),
            photo_alt=f"Portrait of therapist {n}",
            specialties=[f"Specialty {n}"],
        )
        for n in range(authors)
    ]
    for n in range(posts):
        build_post(
            index,
            slug=f"post-{n}",
            title=f"Demo post {n}",
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
            authors=[therapists[(n + a) % authors] for a in range(authors_per_post)],
            tags=[f"tag {(n + t) % 10}" for t in range(tags_per_post)],
            hero=build_image(f"Hero {n}", seed=n, size=(240, 135)),
        )


def count_queries(client, path: str) -> int:
    assert client.get(path).status_code == 200  # renditions are made on the first view
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize(
    ("posts", "authors", "authors_per_post", "tags_per_post"),
    [(2, 1, 1, 1), (20, 10, 3, 4)],
    ids=["few", "ten-times-more"],
)
def test_blog_pages_take_the_same_queries_with_ten_times_the_posts(
    client, blog_index, posts, authors, authors_per_post, tags_per_post
):
    build_world(
        blog_index,
        posts=posts,
        authors=authors,
        authors_per_post=authors_per_post,
        tags_per_post=tags_per_post,
    )
    assert {path: count_queries(client, path) for path in PAGES} == PAGES
    assert max(PAGES.values()) <= 8  # issue 6: every reading page in at most 8 queries
