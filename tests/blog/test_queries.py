"""Every blog reading page renders in a bounded number of queries, and no more with ten times as
many posts, authors and tags. The page cache is off in tests, so these are full renders."""

import datetime

import pytest

from blog.factories import build_image, build_post
from tests.kindman.test_queries import READING_PAGE_QUERIES
from therapists.factories import build_therapist

pytestmark = pytest.mark.django_db

PAGES = [
    "/blog/",
    "/blog/?tag=tag-0",
    "/blog/?specialty=specialty-0",
    "/blog/?tag=tag-0&specialty=specialty-0",
    "/blog/?page=2",
    "/blog/post-1/",
    "/search/?q=demo",
    "/blog/feed/",
]


def build_world(
    index, *, posts: int, authors: int, authors_per_post: int, tags_per_post: int, first: int
):
    therapists = [
        build_therapist(
            slug=f"therapist-{n}",
            photo=build_image(f"Portrait {n}", seed=n, size=(200, 200)),
            photo_alt=f"Portrait of therapist {n}",
            specialties=[f"Specialty {n}"],
        )
        for n in range(first, first + authors)
    ]
    for n in range(first, first + posts):
        build_post(
            index,
            slug=f"post-{n}",
            title=f"Demo post {n}",
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
            authors=[therapists[(n + a) % authors] for a in range(authors_per_post)],
            tags=[f"tag {(n + t) % 10}" for t in range(tags_per_post)],
            hero=build_image(f"Hero {n}", seed=n, size=(240, 135)),
        )


def test_blog_pages_take_no_more_queries_with_ten_times_the_posts(
    client, blog_index, django_assert_max_num_queries
):
    build_world(blog_index, posts=2, authors=1, authors_per_post=1, tags_per_post=1, first=0)
    few = {}
    for path in PAGES:
        assert client.get(path).status_code == 200  # renditions are made on the first view
        with django_assert_max_num_queries(READING_PAGE_QUERIES) as captured:
            assert client.get(path).status_code == 200
        few[path] = len(captured.captured_queries)

    build_world(blog_index, posts=20, authors=10, authors_per_post=3, tags_per_post=4, first=2)
    for path in PAGES:
        client.get(path)
        with django_assert_max_num_queries(few[path]):
            assert client.get(path).status_code == 200
