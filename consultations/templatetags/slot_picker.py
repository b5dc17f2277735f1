"""The slot picker's list items, rendered in Python: a busy week holds hundreds of times, and a
template loop (or a `format_html` per time) over them was most of the booking page's cost."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def slot_items(slots, name: str, selected: str, phone_href: str):
    """One `<li>` per slot of a day: a radio button, or "call us" inside the notice window.
    A slot's value, id and label come from its datetime (digits, letters, ":" and a space), so
    only the field name and the phone link need escaping."""
    name, phone_href = escape(name), escape(phone_href)
    items = []
    for slot in slots:
        value, label = slot.value, slot.time_label
        if slot.call_us:
            items.append(
                f'<li class="slot slot--call"><time datetime="{value}" data-slot-time>{label}'
                f'</time>: too soon to book online, <a href="{phone_href}">call us to book</a></li>'
            )
        else:
            checked = " checked" if value == selected else ""
            items.append(
                f'<li class="slot"><input type="radio" name="{name}" id="{slot.html_id}" '
                f'value="{value}"{checked} required><label for="{slot.html_id}">'
                f'<time datetime="{value}" data-slot-time>{label}</time></label></li>'
            )
    return mark_safe("\n".join(items))  # noqa: S308 (see the docstring)
