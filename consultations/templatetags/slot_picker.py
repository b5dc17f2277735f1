"""The slot picker's list items, rendered in Python: a busy week holds hundreds of times, and a
template loop (or a `format_html` per time) over them was most of the booking page's cost."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def slot_items(slots, name: str, selected: str, phone_href: str, nearest=(), first=False):
    """One element per slot of a day: a radio button in its label, or a "call us" line inside
    the notice window. Kept small (a busy week has hundreds, each one more for a phone to style
    and lay out): no list item around each label (the day's fieldset groups them), only the
    times the "nearest open times" links point at carry an id, and only the first radio says
    `required` (for the group).
    A slot's value and label come from its datetime (digits, letters, ":" and a space), so
    only the field name and the phone link need escaping."""
    name, phone_href = escape(name), escape(phone_href)
    targets = {slot.value for slot in nearest}
    items = []
    for slot in slots:
        value, label = slot.value, slot.time_label
        if slot.call_us:
            items.append(
                f'<p class="slot--call"><time datetime="{value}" data-slot-time>{label}</time>: '
                f'too soon to book online, <a href="{phone_href}">call us to book</a></p>'
            )
            continue
        extra = f' id="{slot.html_id}"' if value in targets else ""
        if value == selected:
            extra += " checked"
        if first:
            extra, first = extra + " required", False
        items.append(
            f'<label><input type="radio" name="{name}" value="{value}"{extra}> {label}</label>'
        )
    return mark_safe("".join(items))  # noqa: S308 (see the docstring)
