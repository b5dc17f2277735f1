"""`{% field_group field %}`: a form field's markup, remembered per process while its form is
unbound. Django renders each field through several template includes (label, help text,
widget, attributes), which was most of the booking page's rendering time; for an unbound form
the markup depends only on the form class, the field and its initial value, so it is rendered
once per process. A bound form (an error re-render) is always rendered afresh."""

from django import template
from django.template.loader import render_to_string

register = template.Library()

_rendered: dict[tuple, str] = {}


@register.simple_tag
def field_group(field, template_name: str = ""):
    """`field.as_field_group()`, or `template_name` rendered with `field`. Not for fields whose
    markup changes while unbound (choices read from the database, a random initial value)."""
    form = field.form
    if form.is_bound:
        return _render(field, template_name)
    key = (type(form), form.prefix, form.auto_id, field.name, template_name, repr(field.value()))
    if key not in _rendered:
        _rendered[key] = _render(field, template_name)
    return _rendered[key]


def _render(field, template_name: str):
    if template_name:
        return render_to_string(template_name, {"field": field})
    return field.as_field_group()
