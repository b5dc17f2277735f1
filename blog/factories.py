"""Minimal builders for tests and demo content: the blog index, posts and generated images."""

import io
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from kindman.factories import build_site
from therapists.factories import build_therapist
from therapists.models import TherapistPage

from .models import BlogIndexPage, BlogPage, BlogPageAuthor

PALETTE = ["#2f5d50", "#a8432a", "#d9a441", "#6b8f9c", "#e8dccb", "#40304a", "#c97b63"]


def build_blog_index(home: Page | None = None) -> BlogIndexPage:
    index = BlogIndexPage.objects.first()
    if index is None:
        home = home or build_site()
        index = home.add_child(
            instance=BlogIndexPage(
                title="Blog",
                slug="blog",
                intro="<p>Writing from our therapists.</p>",
                search_description="Writing from the therapists of Kindman & Co.",
            )
        )
        index.save_revision().publish()
    return index


def build_image(title: str = "Abstract shapes", *, seed: int = 1, size=(640, 360)):
    """An original abstract picture (soft overlapping shapes), saved as a Wagtail image."""
    rng = random.Random(seed)  # noqa: S311  (art, not security)
    picture = PILImage.new("RGB", size, PALETTE[seed % len(PALETTE)])
    draw = ImageDraw.Draw(picture)
    width, height = size
    for _ in range(9):
        x, y = rng.randrange(width), rng.randrange(height)
        radius = rng.randrange(height // 6, height // 2)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=rng.choice(PALETTE))
    picture = picture.filter(ImageFilter.GaussianBlur(radius=max(2, width // 120)))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    # Databases flushed between browser tests lose the root collection Wagtail's migration made.
    collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    return get_image_model().objects.create(
        collection=collection,
        title=title,
        file=ImageFile(buffer, name=f"{title.lower().replace(' ', '-')}.jpg"),
    )


def demo_therapist(slug: str, **fields) -> TherapistPage:
    """The therapist with this slug, or a minimal published one if the directory lacks it."""
    return TherapistPage.objects.filter(slug=slug).first() or build_therapist(slug=slug, **fields)


def paragraph(text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def build_post(
    index: BlogIndexPage | None = None,
    *,
    slug: str = "a-demo-post",
    authors=(),
    tags=(),
    hero=None,
    hero_alt: str = "",
    body=None,
    publish: bool = True,
    **fields,
) -> BlogPage:
    """A post under the blog index; `authors` are therapist pages (a demo one if none given)."""
    index = index or build_blog_index()
    values = {
        "title": slug.replace("-", " ").capitalize(),
        "slug": slug,
        "summary": "A short summary of a demo post.",
        "body": body if body is not None else [paragraph("A few words of demo prose.")],
        "hero_image": hero,
        "hero_alt": hero_alt or ("Soft abstract shapes in warm colours" if hero else ""),
    }
    values.update(fields)
    post = BlogPage(**values)
    post.tags.add(*tags)
    for position, therapist in enumerate(authors or [demo_therapist("avery-demo")]):
        post.authors.add(BlogPageAuthor(therapist=therapist, sort_order=position))
    index.add_child(instance=post)
    if publish:
        post.save_revision().publish()
    else:
        post.unpublish()
    return post
