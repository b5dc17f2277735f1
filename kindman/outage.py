"""A form sent while PostgreSQL is unreachable: nothing is stored (the view's transaction never
began or was rolled back), and the visitor gets the friendly 503 page with their answers kept.

The page lists what they wrote and carries every submitted value in hidden fields, with a
"Send it again" button that posts the same answers (CSRF token and idempotency key included) to
the same address once the site is back, so nothing has to be typed twice and a resend can never
book twice. It is rendered without a request or a database, like the other error pages, and is
never cached (it holds personal data)."""

from django import forms

ANSWERS_FORM_ATTRIBUTE = "keeps_answers_with"


def keeps_answers(form_class: type[forms.Form]):
    """Mark a view whose POSTed answers come back on the 503 page, described by the labels of
    `form_class`. Put it above the view's other decorators."""

    def mark(view):
        setattr(view, ANSWERS_FORM_ATTRIBUTE, form_class)
        return view

    return mark


def answers_form_for(request) -> type[forms.Form] | None:
    if request.method != "POST":
        return None
    match = getattr(request, "resolver_match", None)
    return getattr(match.func, ANSWERS_FORM_ATTRIBUTE, None) if match else None


def describe_answers(form_class: type[forms.Form], data) -> list[tuple[str, str]]:
    """(label, answer as the visitor would recognise it) for each visible field they filled in.
    A form may describe one of its own fields with `describe_<name>(value)` (e.g. a time)."""
    described = []
    for name, field in form_class.base_fields.items():
        if field.widget.is_hidden or "honeypot__input" in field.widget.attrs.get("class", ""):
            continue
        values = [value for value in data.getlist(name) if value.strip()]
        if not values:
            continue
        if describe := getattr(form_class, f"describe_{name}", None):
            text = describe(values[0])
        elif isinstance(field, forms.BooleanField):
            text = "Yes"
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            labels = {str(key): str(label) for key, label in field.choices}
            text = ", ".join(labels.get(value, value) for value in values)
        elif isinstance(field, forms.ModelChoiceField):
            continue  # naming the choice needs the database; it is still sent again
        else:
            text = ", ".join(values)
        described.append((str(field.label), text))
    return described


def resend_fields(data) -> list[tuple[str, str]]:
    """Every submitted (name, value), in order, to be posted again unchanged."""
    return [(name, value) for name, values in data.lists() for value in values]


def kept_answers(request) -> dict:
    """The context of `includes/kept_answers.html` for a refused POST to a view marked with
    `keeps_answers` (the 503 and 429 pages); empty for anything else."""
    form_class = answers_form_for(request) if request is not None else None
    if form_class is None:
        return {}
    return {
        "answers": describe_answers(form_class, request.POST),
        "resend": resend_fields(request.POST),
        "action": request.get_full_path(),
    }
