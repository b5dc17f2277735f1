from django import template
from django.utils.translation import gettext
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


@register.filter
def translated(text):
    """Staff-editable wording in the language being read: `{{ rules.intro|translated }}` shows
    the catalogue's translation while the text is still the default (marked with gettext_noop),
    and the text as written once staff change it."""
    return gettext(str(text)) if text else text
