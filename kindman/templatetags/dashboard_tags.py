"""What the admin dashboard shows depends on what the user can use there."""

from django import template
from wagtail.admin.search import admin_search_areas

register = template.Library()


@register.simple_tag(takes_context=True)
def can_search_pages(context) -> bool:
    """True when Wagtail's own "Pages" search area is shown to this user (the sidebar asks the
    same registry), so the dashboard offers page search exactly where it leads somewhere."""
    request = context["request"]
    return any(
        area.name == "pages" for area in admin_search_areas.search_items_for_request(request)
    )
