from django import forms
from django.db.models import Value
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from therapists.models import Language, Specialty


def filter_choices() -> tuple[list, list]:
    """(slug, name) of every specialty and language, for the directory's filters, in one query."""
    specialties = Specialty.objects.annotate(kind=Value("specialty"))
    languages = Language.objects.annotate(kind=Value("language"))
    found = {"specialty": [], "language": []}
    rows = specialties.values_list("kind", "slug", "name").union(
        languages.values_list("kind", "slug", "name"), all=True
    )
    for kind, slug, name in rows.order_by("name"):
        found[kind].append((slug, name))
    return found["specialty"], found["language"]


class LenientChoiceField(forms.ChoiceField):
    """An unknown value counts as no choice rather than an error: the filter is left off."""

    def clean(self, value):
        value = self.to_python(value)
        return value if self.valid_value(value) else ""


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the known values and drops the rest, so one stale value in a shared link does not
    throw away the filters that still make sense."""

    def clean(self, value):
        value = self.to_python(value)
        return [item for item in value if self.valid_value(item)]


class DirectoryFilterForm(forms.Form):
    """The therapist directory's filters, read from the query string so a filtered list can be
    shared. Unknown or malformed values are ignored; nothing here ever raises."""

    WORKS_WITH_CHOICES = [
        ("", _("Anyone")),
        ("individuals", _("Individuals")),
        ("couples", _("Couples")),
        ("families", _("Families")),
        ("groups", _("Groups")),
    ]
    FORMAT_CHOICES = [
        ("", _("Either")),
        ("in_person", _("In person in Highland Park")),
        ("online", _("Online")),
    ]

    specialty = LenientMultipleChoiceField(
        label=_("Specialty"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Therapists with any of the ticked specialties."),
    )
    works_with = LenientChoiceField(
        label=_("Works with"), choices=WORKS_WITH_CHOICES, required=False, widget=forms.RadioSelect
    )
    format = LenientChoiceField(
        label=_("Sessions"), choices=FORMAT_CHOICES, required=False, widget=forms.RadioSelect
    )
    language = LenientChoiceField(label=_("Language"), required=False)
    sliding_scale = forms.BooleanField(label=_("Offers a sliding scale"), required=False)
    accepting = forms.BooleanField(label=_("Accepting new clients"), required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        specialties, languages = filter_choices()
        self.fields["specialty"].choices = specialties
        self.fields["language"].choices = [("", _("Any language")), *languages]

    def full_clean(self):
        super().full_clean()
        # Show the filters as applied: every field drops invalid values rather than reporting
        # them, and the widgets render from what is left.
        valid = QueryDict(mutable=True)
        for name, value in self.cleaned_data.items():
            if isinstance(value, list):
                valid.setlist(name, value)
            elif value is True:
                valid[name] = "on"
            elif value:
                valid[name] = value
        self.data = valid

    def filters(self) -> dict:
        """Keyword arguments for `TherapistPageQuerySet.matching`, from the valid values only."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "specialties": data.get("specialty", []),
            "works_with": data.get("works_with", ""),
            "session_format": data.get("format", ""),
            "language": data.get("language", ""),
            "sliding_scale": data.get("sliding_scale", False),
            "accepting": data.get("accepting", False),
        }

    @property
    def is_filtered(self) -> bool:
        return any(self.filters().values())

    def active_filters(self) -> list[tuple[str, str]]:
        """(label, query string) of each filter applied, the query being this list without
        that one filter ("" when nothing is left): the removable chips above the results."""
        self.is_valid()
        chips = []
        for name, value in self.cleaned_data.items():
            field = self.fields[name]
            names = dict(getattr(field, "choices", ()))
            for item in value if isinstance(value, list) else [value] if value else []:
                query = self.data.copy()
                if isinstance(value, list):
                    query.setlist(name, [other for other in value if other != item])
                else:
                    del query[name]
                if value is True:
                    label = str(field.label)
                elif name == "specialty":
                    label = str(names[item])
                else:
                    label = f"{field.label}: {names[item]}"
                encoded = query.urlencode()
                chips.append((label, f"?{encoded}" if encoded else ""))
        return chips

    def page_query(self, number: int) -> str:
        """The query string of page `number` of this filtered list ("" for the first unfiltered
        page): the filters as applied, so junk in the address is not carried along."""
        self.is_valid()
        query = self.data.copy()
        if number > 1:
            query["page"] = str(number)
        encoded = query.urlencode()
        return f"?{encoded}" if encoded else ""

    def pagination(self, results) -> dict:
        """Query strings for the pages around `results` (a paginator page), keeping these
        filters: `previous` and `next` (None at either end), and `pages`, (number, query) for
        the first, the last and those next to this one, with (None, "") for a gap between."""
        if not results.has_other_pages():
            return {}
        numbers = results.paginator.get_elided_page_range(results.number, on_each_side=1, on_ends=1)
        return {
            "previous": self.page_query(results.number - 1) if results.has_previous() else None,
            "next": self.page_query(results.number + 1) if results.has_next() else None,
            "pages": [
                (number, self.page_query(number)) if isinstance(number, int) else (None, "")
                for number in numbers
            ],
        }
