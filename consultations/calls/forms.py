"""The booking and reschedule forms. Every time a visitor picks is checked against the slot
engine here (for a clear error next to the field) and again under lock when booking."""

import uuid
from datetime import datetime

import phonenumbers
from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kindman.languages import in_reading_language
from kindman.spam import HoneypotFormMixin
from kindman.timezones import format_local

from ..bookings.forms import CHECK_FIELD
from .models import Consultation
from .slots import Schedule, parse_slot_value, refusal


def normalise_phone(value: str) -> str:
    """A phone number in E.164 (US numbers may be typed without +1), or ValidationError."""
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(
            _("Please check the phone number, e.g. (323) 555-0123 or +44 20 7946 0000.")
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def bookable_therapists():
    """Each therapist once: their profile in the language being read."""
    from therapists.models import TherapistPage

    return in_reading_language(TherapistPage.objects.live().public()).order_by("title")


class SlotField(forms.CharField):
    """An ISO UTC start time, checked against the slot engine by the form."""

    default_error_messages = {"required": _("Please choose a time for the call.")}


SLOT_TAKEN = _("Sorry, that time was just taken. Here are the nearest open times.")
SLOT_REFUSALS = {
    "past": _("That time has already passed. Please choose another."),
    "taken": SLOT_TAKEN,
    "too soon": _("That time is too soon to book online. Please call us to book it."),
    "unavailable": _("That time isn't available. Please choose one of the times listed."),
}


def slot_error(
    schedule: Schedule | None, value: str, now: datetime
) -> tuple[datetime | None, str, bool]:
    """(start, why it is refused or "", whether it was refused only for being taken). Without
    a schedule only the form of the value and the clock are checked: the booking action asks
    the engine under its lock."""
    start = parse_slot_value(value)
    if start is None:
        return None, _("Please choose one of the times listed."), False
    if schedule is None:
        reason = "past" if start <= now else None
    else:
        reason = refusal(schedule, start, now)
    return start, SLOT_REFUSALS.get(reason, ""), reason == "taken"


class SlotChoiceMixin(forms.Form):
    slot = SlotField(label=_("Choose a time"))

    @staticmethod
    def describe_slot(value: str) -> str:
        """The chosen time as the visitor saw it (for the page that keeps their answers)."""
        start = parse_slot_value(value)
        return format_local(start) if start else value

    def __init__(
        self, *args, schedule: Schedule | None = None, now: datetime | None = None, **kwargs
    ):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.schedule = schedule
        self.now = now or timezone.now()

    slot_taken_at: datetime | None = None

    def clean_slot(self):
        start, error, taken = slot_error(self.schedule, self.cleaned_data["slot"], self.now)
        if taken:
            self.slot_taken_at = start
        if error:
            raise forms.ValidationError(error)
        return start

    @property
    def chosen_start(self) -> datetime | None:
        """The submitted time, if it reads as one (whatever else is wrong with the form)."""
        return parse_slot_value(self["slot"].value() or "") if self.is_bound else None

    def check_slot(self, schedule: Schedule) -> None:
        """Ask the engine about the chosen time when the form was checked without a schedule
        and failed for another reason, so every error shows at once."""
        start = self.cleaned_data.get("slot") if hasattr(self, "cleaned_data") else None
        if start is None or "slot" in self.errors:
            return
        reason = refusal(schedule, start, self.now)
        if reason == "taken":
            self.slot_taken_at = start
        if reason:
            self.add_error("slot", SLOT_REFUSALS[reason])


class BookingForm(HoneypotFormMixin, SlotChoiceMixin):
    name = forms.CharField(
        label=_("What name would you like us to use?"),
        help_text=_("A first name or a pseudonym is fine."),
        max_length=80,
        error_messages={"required": _("Please tell us what to call you.")},
    )
    pronouns = forms.CharField(label=_("Pronouns (optional)"), max_length=40, required=False)
    phone = forms.CharField(
        label=_("Phone number"),
        help_text=_("We'll call you on this number."),
        max_length=32,
        error_messages={"required": _("Please give us a phone number to call you on.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    may_leave_voicemail = forms.BooleanField(
        template_name=CHECK_FIELD,
        label=_("You may leave a voicemail if I miss the call"),
        required=False,
    )
    may_text = forms.BooleanField(
        template_name=CHECK_FIELD, label=_("You may text me at this number"), required=False
    )
    may_say_practice_name = forms.BooleanField(
        template_name=CHECK_FIELD,
        label=_("You may say the practice's name when you call"),
        required=False,
    )
    best_times = forms.CharField(
        label=_("Best times to reach me (optional)"),
        help_text=_("For example: “weekday evenings” or “not before 10 am”."),
        max_length=200,
        required=False,
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        max_length=254,  # what Consultation.email holds
        help_text=_("Only needed if you'd like an email confirmation and calendar invite."),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    discreet = forms.BooleanField(
        template_name=CHECK_FIELD,
        label=_("Keep it discreet"),
        help_text=_(
            "Emails and the calendar invite will just say “Phone call”, without our name or "
            "the word therapy."
        ),
        required=False,
    )
    interest = forms.ChoiceField(
        label=_("How would you like to meet, if you go ahead?"),
        choices=Consultation.Interest.choices,
        initial=Consultation.Interest.EITHER,
        widget=forms.RadioSelect,
    )
    payment = forms.ChoiceField(
        label=_("How do you expect to pay?"),
        choices=Consultation.Payment.choices,
        initial=Consultation.Payment.NOT_SURE,
        widget=forms.RadioSelect,
        required=False,  # one is always chosen in the page; a form from before it asked is fine
    )
    wants_estimate = forms.BooleanField(
        template_name=CHECK_FIELD,
        label=_(
            "I'd like a Good Faith Estimate of what my care may cost (if I'm paying myself "
            "or not sure yet)"
        ),
        help_text=_("We'll send it within three business days."),
        required=False,
    )
    session_location = forms.ChoiceField(
        label=_("Where will you be during sessions?"),
        help_text=_("Our therapists can see you only while you're in California."),
        choices=Consultation.SessionLocation.choices,
        initial=Consultation.SessionLocation.CALIFORNIA,
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(
        label=_("What brings you to us? (optional)"),
        help_text=_("A sentence or two is plenty. Only our Care Coordinator reads this."),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    preferred_therapist = forms.ModelChoiceField(
        label=_("Preferred therapist (optional)"),
        queryset=None,
        required=False,
        empty_label=_("No preference"),
    )
    consent = forms.BooleanField(
        template_name=CHECK_FIELD,
        label=_(
            "I have read the privacy notice and agree to you storing these answers to arrange "
            "the call."
        ),
        error_messages={"required": _("Please agree to the privacy notice so we can call you.")},
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    field_order = [
        "slot", "name", "pronouns", "phone", "may_leave_voicemail", "may_text",
        "may_say_practice_name", "best_times", "email", "discreet", "interest", "payment",
        "wants_estimate", "session_location", "note", "preferred_therapist", "consent",
        "website", "idempotency_key",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_therapist"].queryset = bookable_therapists()
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Please tell us what to call you."))
        return name

    @property
    def wants_estimate_counted(self) -> bool:
        """The estimate is for people not using insurance; with insurance the box is ignored
        (the page hides it then, and says so in its label without JavaScript)."""
        data = self.cleaned_data
        return data["wants_estimate"] and data["payment"] != Consultation.Payment.INSURANCE

    def booking_details(self) -> dict:
        data = self.cleaned_data
        fields = [
            "name", "pronouns", "phone", "email", "may_leave_voicemail", "may_text",
            "may_say_practice_name", "best_times", "discreet", "interest", "payment",
            "session_location", "note", "preferred_therapist",
        ]  # fmt: skip
        # The language of the page they booked on: /es/… Spanish, the rest English.
        return {field: data[field] for field in fields} | {"language": get_language()}


class RescheduleForm(SlotChoiceMixin):
    slot = SlotField(label=_("Choose a new time"))
