"""Test and demo data through factory_boy and wagtail-factories: the blog, posts (published
through revisions) and pictures drawn in code."""

import factory
from django.utils.text import slugify
from wagtail.models import Page

from kindman.demo_art import ART, save_image
from kindman.factories import PublishedPageFactory, build_site, publish_page
from therapists.factories import build_therapist
from therapists.models import TherapistPage

from .models import BlogIndexPage, BlogPage, BlogPageAuthor


class BlogIndexPageFactory(PublishedPageFactory):
    class Meta:
        model = BlogIndexPage

    title = "Blog"
    slug = "blog"
    intro = "<p>Writing from our therapists.</p>"
    search_description = "Writing from the therapists of Kindman & Co."


def build_blog_index(home: Page | None = None) -> BlogIndexPage:
    """The blog (one per site), made under the home page if missing."""
    return BlogIndexPage.objects.first() or BlogIndexPageFactory(parent=home or build_site())


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


class BlogPageFactory(PublishedPageFactory):
    """A post under the blog; `authors` are therapist pages (a demo one if none is given),
    `tags` names, `hero` an image (with its alt text)."""

    class Meta:
        model = BlogPage
        exclude = ("hero",)

    parent = factory.LazyFunction(build_blog_index)
    slug = "a-demo-post"
    title = factory.LazyAttribute(lambda post: post.slug.replace("-", " ").capitalize())
    summary = "A short summary of a demo post."
    body = factory.LazyFunction(lambda: [paragraph("A few words of demo prose.")])
    hero = None
    hero_image = factory.SelfAttribute("hero")
    hero_alt = factory.LazyAttribute(
        lambda post: "Soft abstract shapes in warm colours" if post.hero else ""
    )

    @factory.post_generation
    def tags(post, create, extracted, **kwargs):
        if extracted:
            post.tags.add(*extracted)

    @factory.post_generation
    def authors(post, create, extracted, **kwargs):
        for position, therapist in enumerate(extracted or [demo_therapist("avery-demo")]):
            post.authors.add(BlogPageAuthor(therapist=therapist, sort_order=position))

    @factory.post_generation
    def publish(post, create, extracted, **kwargs):  # after its tags and authors
        publish_page(post, create, extracted)


def build_post(index: BlogIndexPage | None = None, **fields) -> BlogPage:
    if index is not None:
        fields["parent"] = index
    return BlogPageFactory(**fields)
