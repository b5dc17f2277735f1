"""The information-session registration form."""

import uuid

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kindman.spam import HoneypotFormMixin

from ..bookings.forms import CHECK_FIELD


class SessionRegistrationForm(HoneypotFormMixin, forms.Form):
    name = forms.CharField(
        label=_("What name would you like us to use?"),
        help_text=_("A first name or a pseudonym is fine. Other attendees never see it."),
        max_length=80,
        error_messages={"required": "Please tell us what to call you."},
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        error_messages={"required": _("Please give us an email address for your confirmation.")},
        help_text=_("For your confirmation, calendar invite and private link. Never shared."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    pronouns = forms.CharField(label=_("Pronouns (optional)"), max_length=40, required=False)
    discreet = forms.BooleanField(
        template_name=CHECK_FIELD,
        label=_("Keep it discreet"),
        help_text=_(
            "Emails and the calendar invite will just say “Information session”, without our "
            "name or the session's title."
        ),
        required=False,
    )
    consent = forms.BooleanField(
        template_name=CHECK_FIELD,
        label=_(
            "I have read the privacy notice and agree to you storing these answers to "
            "arrange my place."
        ),
        error_messages={
            "required": _("Please agree to the privacy notice so we can save your place.")
        },
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    field_order = ["name", "email", "pronouns", "discreet", "consent", "website", "idempotency_key"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Please tell us what to call you."))
        return name

    def registration_details(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"].strip(),
            "pronouns": data["pronouns"].strip(),
            "discreet": data["discreet"],
            "language": get_language(),
        }
