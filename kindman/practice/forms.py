"""The fees page's out-of-network estimator (a GET form: the page stays cacheable and needs no
JavaScript) and the accessibility problem report."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from kindman.spam import HoneypotFormMixin

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Estimate:
    sessions: int
    fees: Decimal
    reimbursed: Decimal
    you_pay: Decimal
    per_session_after_deductible: Decimal
    sessions_before_reimbursement: int


def estimate(
    *,
    fee: Decimal,
    allowed: Decimal,
    percent: int,
    deductible_left: Decimal,
    sessions: int,
) -> Estimate:
    """What a plan may pay back over `sessions` sessions: nothing until the deductible is met by
    the allowed amounts, then `percent` of each allowed amount (never more than the fee)."""
    allowed = min(allowed, fee)
    rate = Decimal(percent) / 100
    deductible = deductible_left
    reimbursed = Decimal(0)
    waiting = 0
    for _session in range(sessions):
        counted = min(deductible, allowed)
        deductible -= counted
        if allowed and counted == allowed:
            waiting += 1
        reimbursed += (allowed - counted) * rate
    fees = fee * sessions
    reimbursed = money(reimbursed)
    return Estimate(
        sessions=sessions,
        fees=money(fees),
        reimbursed=reimbursed,
        you_pay=money(fees - reimbursed),
        per_session_after_deductible=money(fee - allowed * rate),
        sessions_before_reimbursement=waiting,
    )


class EstimatorForm(forms.Form):
    """Bound only when the visitor sent it: an empty query string shows the empty form."""

    FIELDS = ("fee", "allowed", "percent", "deductible", "sessions")

    fee = forms.DecimalField(
        label=_("Session fee ($)"),
        min_value=0,
        max_value=5000,
        decimal_places=2,
        help_text=_("From the table above."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    allowed = forms.DecimalField(
        label=_("Your plan's allowed amount per session ($, optional)"),
        min_value=0,
        max_value=5000,
        decimal_places=2,
        required=False,
        help_text=_(
            "Plans often pay a share of their own “allowed amount”, not of the fee. "
            "Leave empty to use the fee."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    percent = forms.IntegerField(
        label=_("Share your plan reimburses out of network (%)"),
        min_value=0,
        max_value=100,
        help_text=_("Often between 50 and 80. Your plan's summary of benefits says."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    deductible = forms.DecimalField(
        label=_("Out-of-network deductible left this year ($)"),
        min_value=0,
        max_value=100000,
        decimal_places=2,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    sessions = forms.IntegerField(
        label=_("Number of sessions"),
        min_value=1,
        max_value=52,
        initial=12,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, fees=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if fees and not self.is_bound:
            self.initial.setdefault("fee", fees[0].amount)

    @classmethod
    def from_query(cls, query, *, fees=()):
        sent = any(name in query for name in cls.FIELDS)
        return cls(query if sent else None, fees=fees)

    def estimate(self) -> Estimate:
        data = self.cleaned_data
        allowed = data["allowed"] if data["allowed"] is not None else data["fee"]
        return estimate(
            fee=data["fee"],
            allowed=allowed,
            percent=data["percent"],
            deductible_left=data["deductible"],
            sessions=data["sessions"],
        )


class AccessibilityReportForm(HoneypotFormMixin, forms.Form):
    problem = forms.CharField(
        label=_("What went wrong?"),
        help_text=_("Tell us what you were trying to do and what happened. A sentence is plenty."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Please tell us what went wrong.")},
    )
    page_address = forms.CharField(
        label=_("Which page? (optional)"),
        help_text=_("Its address or its title."),
        max_length=300,
        required=False,
    )
    assistive_technology = forms.CharField(
        label=_("Browser or assistive technology (optional)"),
        help_text=_("For example: “iPhone with VoiceOver” or “Firefox zoomed to 200%”."),
        max_length=200,
        required=False,
    )
    reply_email = forms.EmailField(
        label=_("Email, if you'd like an answer (optional)"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def save(self):
        """Store the report and queue its email to the practice, together."""
        from django.db import transaction

        from kindman.emails import queue_email

        from .models import AccessibilityReport

        data = self.cleaned_data
        with transaction.atomic():
            report = AccessibilityReport.objects.create(
                problem=data["problem"].strip(),
                page_address=data["page_address"].strip(),
                assistive_technology=data["assistive_technology"].strip(),
                reply_email=data["reply_email"],
            )
            queue_email("accessibility_report", report)
        return report
