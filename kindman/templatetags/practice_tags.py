"""Template tags of the practice pages: structured data and the practice settings for includes
rendered `with … only` (they still carry the request, which caches the settings)."""

from django import template

from kindman import structured_data
from kindman.models import PracticeSettings

register = template.Library()


@register.filter
def json_ld(data: dict):
    """`{{ data|json_ld }}`: a schema.org data block (not executable, so allowed under CSP)."""
    return structured_data.json_ld(data)


@register.simple_tag(takes_context=True)
def practice_settings(context) -> PracticeSettings:
    return PracticeSettings.load(request_or_site=getattr(context, "request", None))
