from django import template

from blog import seo
from blog.models import BlogPage
from kindman.languages import in_reading_language

register = template.Library()


@register.filter
def json_ld(data: dict):
    """`{{ data|json_ld }}`: a schema.org data block (not executable, so allowed under CSP)."""
    return seo.json_ld(data)


@register.simple_tag(takes_context=True)
def organization_json_ld(context, home=None):
    """The practice as a schema.org Organization, for the home page."""
    return seo.json_ld(seo.organization(context["request"], home))


@register.inclusion_tag("blog/includes/posts_by_author.html", takes_context=True)
def posts_by_author(context, therapist, limit: int = 3):
    """A therapist's latest live posts, for their profile: one query."""
    posts = (
        in_reading_language(BlogPage.objects.live().public())
        .by_author(therapist)
        .newest_first()
        .only("title", "url_path", "date", "summary")[:limit]
        if therapist and therapist.pk  # an unsaved profile in the admin's preview has no posts
        else []
    )
    return {"request": context.get("request"), "therapist": therapist, "posts": posts}
