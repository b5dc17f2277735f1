"""The blog index's filtered, paginated listing, built from untrusted query parameters."""

from functools import cached_property
from typing import NamedTuple

from django.core.paginator import Paginator
from django.db.models import Value
from django.http import QueryDict
from taggit.models import Tag

from therapists.models import Specialty

from .models import POSTS_PER_PAGE, BlogPageTag


class PostListing:
    """Unknown tags or specialties are ignored and any `?page=` value lands on a real page."""

    def __init__(self, index, params: QueryDict):
        self.index = index
        self.posts = index.posts()
        self.tags, self.specialties = filter_choices(self.posts)
        self.tag = _pick(self.tags, params.get("tag"))
        self.specialty = _pick(self.specialties, params.get("specialty"))
        self.page_number = params.get("page", "1")

    @cached_property
    def page(self):
        posts = self.posts
        if self.tag:
            posts = posts.tagged(self.tag.slug)
        if self.specialty:
            posts = posts.by_specialty(self.specialty.slug)
        return Paginator(posts.for_listing(), POSTS_PER_PAGE).get_page(self.page_number)

    def filter_query(self, **changes) -> str:
        """The query string for this listing with some parameters changed (None drops one)."""
        params = {
            "tag": self.tag and self.tag.slug,
            "specialty": self.specialty and self.specialty.slug,
        }
        params.update(changes)
        query = QueryDict(mutable=True)
        for key, value in params.items():
            if value:
                query[key] = value
        return f"?{query.urlencode()}" if query else "?"

    @property
    def is_filtered(self) -> bool:
        return bool(self.tag or self.specialty)

    @property
    def active_count(self) -> int:
        return bool(self.tag) + bool(self.specialty)

    def active_filters(self) -> list[tuple[str, str]]:
        """(label, query string) of each filter applied, the query being this listing without
        that one filter ("" when nothing is left): the removable chips above the posts."""
        chips = []
        if self.tag:
            chips.append((self.tag.name, self.filter_query(tag=None)))
        if self.specialty:
            chips.append((self.specialty.name, self.filter_query(specialty=None)))
        return [(label, "" if query == "?" else query) for label, query in chips]

    def tag_links(self):
        return [(tag, self.filter_query(tag=tag.slug), tag == self.tag) for tag in self.tags]

    def specialty_links(self):
        return [
            (item, self.filter_query(specialty=item.slug), item == self.specialty)
            for item in self.specialties
        ]

    def page_query(self, number: int) -> str:
        return self.filter_query(page=number if number > 1 else None)

    @property
    def previous_page_query(self):
        page = self.page
        return self.page_query(page.previous_page_number()) if page.has_previous() else None

    @property
    def next_page_query(self):
        page = self.page
        return self.page_query(page.next_page_number()) if page.has_next() else None


class Choice(NamedTuple):
    name: str
    slug: str


def filter_choices(posts) -> tuple[list[Choice], list[Choice]]:
    """The tags and the authors' specialties found on `posts`, for the filter links, in one
    query."""
    tags = Tag.objects.filter(
        pk__in=BlogPageTag.objects.filter(content_object__in=posts).values("tag_id")
    ).annotate(kind=Value("tag"))
    specialties = Specialty.objects.filter(
        pk__in=posts.values("authors__therapist__specialties")
    ).annotate(kind=Value("specialty"))
    found = {"tag": [], "specialty": []}
    rows = tags.values_list("kind", "name", "slug").union(
        specialties.values_list("kind", "name", "slug"), all=True
    )
    for kind, name, slug in rows.order_by("name"):
        found[kind].append(Choice(name, slug))
    return found["tag"], found["specialty"]


def _pick(choices, slug):
    return next((item for item in choices if slug and item.slug == slug), None)
