"""Minimal builders for tests and demo content: the blog index, posts and generated images."""

from django.utils.text import slugify
from wagtail.models import Page

from kindman.demo_art import ART, save_image
from kindman.factories import build_site
from therapists.factories import build_therapist
from therapists.models import TherapistPage

from .models import BlogIndexPage, BlogPage, BlogPageAuthor


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


def build_image(title: str = "Abstract shapes", *, seed: int = 1, size=(640, 360), art: str = ""):
    """An original picture drawn in code (`kindman.demo_art`), saved as a Wagtail image. Without
    `art`, the seed picks one of the abstract pictures."""
    draw = ART[art] if art else list(ART.values())[seed % len(ART)]
    return save_image(draw(size, seed), title, f"{slugify(title) or 'picture'}.jpg")


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
