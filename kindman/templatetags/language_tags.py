from django import template
from wagtail.models import Page

from kindman import languages

register = template.Library()


@register.simple_tag(takes_context=True)
def page_languages(context, page=None):
    """`{% page_languages page as languages %}`: the page in each of the site's languages."""
    request = context.get("request")
    if isinstance(page, Page) and page.pk:
        return languages.for_page(page, request)
    if request is None:
        return None
    return languages.for_view(request)
