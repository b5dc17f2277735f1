"""The free 20-minute phone consultation: who answers the phone and when, the booking rules,
and the calls themselves. Personal data lives only on `Consultation` (docs/data-protection.md)."""

from datetime import datetime

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from kindman.blocks import RICH_TEXT_FEATURES
from kindman.timezones import PRACTICE_TZ

from ..bookings.models import ClientBooking


class CoordinatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Coordinator(ClusterableModel):
    """A person who answers consultation calls. A slot is offered while any of them is free."""

    name = models.CharField(max_length=80, help_text="Shown to staff only.")
    active = models.BooleanField(default=True, help_text="Inactive coordinators get no bookings.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional: the admin account of this coordinator.",
    )

    objects = CoordinatorQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("active"),
        FieldPanel("user"),
        InlinePanel("weekly_hours", heading="Weekly hours (Pacific Time)", label="Hours"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


def _check_times(start, end):
    if start and end and end <= start:
        raise ValidationError({"end_time": "The end must be after the start."})


class WeeklyHours(Orderable):
    """One stretch of regular hours on one weekday, in the practice's local (Pacific) time."""

    coordinator = ParentalKey(Coordinator, on_delete=models.CASCADE, related_name="weekly_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()

    panels = [
        FieldRowPanel([FieldPanel("weekday"), FieldPanel("start_time"), FieldPanel("end_time")])
    ]

    class Meta(Orderable.Meta):
        verbose_name = "weekly hours"
        verbose_name_plural = "weekly hours"

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self):
        _check_times(self.start_time, self.end_time)


class AvailabilityException(models.Model):
    """A dated change to the weekly hours: a day (or part of it) off, or extra hours."""

    class Kind(models.TextChoices):
        CLOSED = "closed", "Closed (day off, holiday)"
        EXTRA = "extra", "Extra hours"

    coordinator = models.ForeignKey(
        Coordinator,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="exceptions",
        help_text="Leave empty to apply to every coordinator (e.g. a practice holiday).",
    )
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CLOSED)
    start_time = models.TimeField(
        null=True, blank=True, help_text="Closed: leave both times empty to close the whole day."
    )
    end_time = models.TimeField(null=True, blank=True)
    reason = models.CharField(max_length=120, blank=True, help_text="Staff only.")

    panels = [
        FieldPanel("coordinator"),
        FieldPanel("date"),
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldPanel("reason"),
    ]

    class Meta:
        ordering = ["date", "start_time"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    def clean(self):
        if (self.start_time is None) != (self.end_time is None):
            raise ValidationError("Give both a start and an end time, or neither.")
        if self.kind == self.Kind.EXTRA and self.start_time is None:
            raise ValidationError("Extra hours need a start and an end time.")
        _check_times(self.start_time, self.end_time)


@register_setting(icon="time")
class BookingRules(BaseGenericSetting):
    """The rules the slot engine applies, and the booking page's staff-editable wording."""

    call_minutes = models.PositiveSmallIntegerField(default=20)
    buffer_minutes = models.PositiveSmallIntegerField(
        default=10, help_text="Free time kept between two calls of the same coordinator."
    )
    min_notice_hours = models.PositiveSmallIntegerField(
        default=12, help_text="Times sooner than this show “call us to book” instead."
    )
    horizon_days = models.PositiveSmallIntegerField(
        default=21, help_text="How many days ahead people may book."
    )
    daily_cap = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Optional: the most calls the whole practice takes on one day.",
    )
    intro = models.TextField(
        blank=True,
        # Marked for the catalogue: the Spanish booking page shows it translated while unchanged.
        default=gettext_noop(
            "A relaxed, free 20-minute phone call with our Care Coordinator. Tell us a little "
            "about what you're looking for and we'll help you find the right therapist. "
            "There's no commitment."
        ),
        help_text="Shown at the top of the booking page.",
    )
    outside_california_text = RichTextField(
        "for people outside California",
        features=RICH_TEXT_FEATURES,
        # Marked for the catalogue: the Spanish booking page shows it translated while unchanged.
        default=gettext_noop(
            "<p>Our therapists are licensed in California, so they can see you only while "
            "you're in California, online or in person. We're sorry we can't be your "
            "therapists from where you are.</p>"
            "<p>You're still welcome to book the call: our Care Coordinator can help you look "
            "for care where you live. You could also search "
            '<a href="https://openpathcollective.org/">Open Path Collective</a> for '
            "lower-cost therapy, or the licensing board of your state for licensed therapists. "
            "If you're in crisis, call or text 988 anywhere in the US.</p>"
        ),
        help_text="Shown on the booking page when someone says they'll be outside California "
        "during sessions, and on their confirmation.",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("call_minutes"),
                FieldPanel("buffer_minutes"),
                FieldPanel("min_notice_hours"),
                FieldPanel("horizon_days"),
                FieldPanel("daily_cap"),
            ],
            heading="Rules",
        ),
        FieldPanel("intro"),
        FieldPanel("outside_california_text"),
    ]

    class Meta:
        verbose_name = "consultation booking rules"

    def clean(self):
        if not self.call_minutes:
            raise ValidationError({"call_minutes": "A call needs at least one minute."})
        if not self.horizon_days:
            raise ValidationError({"horizon_days": "Allow booking at least one day ahead."})


def display_phone(value: str) -> str:
    """A stored E.164 number as staff dial it: "(323) 555-0100" for US numbers, the
    international form for others; anything unparseable as it was typed."""
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        return value
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 1
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


class ConsultationQuerySet(models.QuerySet):
    def active(self):
        """Bookings that hold a coordinator's time."""
        return self.filter(status__in=Consultation.ACTIVE_STATUSES)

    def upcoming(self, now: datetime | None = None):
        return self.active().filter(starts_at__gt=now or timezone.now())

    def in_window(self, start: datetime, end: datetime):
        return self.active().filter(starts_at__lt=end, ends_at__gt=start)

    def with_phone_clash(self):
        """Annotates `phone_clash`: another active call has this phone number. The booking form
        accepts it as it would any number (it never tells a visitor whose number holds a
        call); the coordinator sorts it out by phone."""
        others = Consultation.objects.active().filter(phone=OuterRef("phone"))
        return self.annotate(phone_clash=Exists(others.exclude(pk=OuterRef("pk"))))

    def for_admin_list(self):
        return self.select_related("coordinator", "preferred_therapist")


class Consultation(ClientBooking):
    """One booked call. Personal fields are seen by care coordinators only; "delete my request"
    erases them (`erase_personal_data`)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        CONFIRMED = "confirmed", "Confirmed"
        COMPLETED = "completed", "Completed"
        NO_SHOW = "no_show", "No show"
        CANCELLED = "cancelled", "Cancelled"

    class Interest(models.TextChoices):
        IN_PERSON = "in_person", _("In person, in Highland Park")
        ONLINE = "online", _("Online (video)")
        EITHER = "either", _("Either / not sure yet")

    class Payment(models.TextChoices):
        INSURANCE = "insurance", _("With insurance")
        SELF_PAY = "self_pay", _("Paying myself")
        NOT_SURE = "not_sure", _("Not sure yet")

    class SessionLocation(models.TextChoices):
        CALIFORNIA = "california", _("In California")
        ELSEWHERE = "elsewhere", _("Somewhere else")

    ACTIVE_STATUSES = (Status.REQUESTED, Status.CONFIRMED)

    coordinator = models.ForeignKey(Coordinator, on_delete=models.PROTECT, related_name="calls")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField(editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)

    phone = models.CharField(max_length=20, help_text="E.164, e.g. +13235550100.")
    email = models.EmailField(blank=True)
    may_leave_voicemail = models.BooleanField(default=False)
    may_text = models.BooleanField(default=False)
    may_say_practice_name = models.BooleanField(
        default=False, help_text="May the coordinator say the practice's name when calling?"
    )
    best_times = models.CharField(max_length=200, blank=True)
    interest = models.CharField(max_length=12, choices=Interest.choices, default=Interest.EITHER)
    state = models.CharField("state of residence", max_length=2, blank=True)
    payment = models.CharField("expects to pay", max_length=10, choices=Payment.choices, blank=True)
    session_location = models.CharField(
        "during sessions",
        max_length=10,
        choices=SessionLocation.choices,
        blank=True,
        help_text="Where they will be during sessions: the therapists may see people only while "
        "they are in California.",
    )
    note = models.TextField(
        max_length=600, blank=True, help_text="What brings them. Never sent in emails or invites."
    )
    preferred_therapist = models.ForeignKey(
        "therapists.TherapistPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # The outcome, recorded by the coordinator after the call (workspace).
    matched_therapist = models.ForeignKey(
        "therapists.TherapistPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The therapist the client was matched with.",
    )
    outcome_notes = models.TextField(
        "private notes",
        blank=True,
        help_text="Coordinators only. Never sent to the client; erased with the booking.",
    )

    privacy_notice_version = models.CharField(
        max_length=40,
        blank=True,
        editable=False,
        help_text="The version of the privacy notice that was live when they agreed to it.",
    )
    telehealth_consent_version = models.CharField(
        max_length=40,
        blank=True,
        editable=False,
        help_text="The version of the telehealth consent linked beside the consent box.",
    )

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            # The database, not the application, guarantees a coordinator's time is sold once.
            models.UniqueConstraint(
                fields=["coordinator", "starts_at"],
                condition=Q(status__in=["requested", "confirmed"]),
                name="consultation_one_active_per_coordinator_start",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="consultation_ends_after_start",
            ),
        ]

    def __str__(self):
        local = self.starts_at.astimezone(PRACTICE_TZ)
        return f"Consultation {local:%a %b %-d, %-I:%M %p} PT ({self.get_status_display()})"

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)

    def is_manageable(self, now: datetime | None = None) -> bool:
        """Whether the private manage link still works."""
        return self.is_active and self.starts_at > (now or timezone.now())

    @property
    def starts_at_local(self) -> datetime:
        return self.starts_at.astimezone(PRACTICE_TZ)

    @property
    def ends_at_local(self) -> datetime:
        return self.ends_at.astimezone(PRACTICE_TZ)

    @property
    def outside_california(self) -> bool:
        if self.session_location:
            return self.session_location == self.SessionLocation.ELSEWHERE
        return bool(self.state) and self.state != "CA"


class GoodFaithEstimateQuerySet(models.QuerySet):
    def to_send(self):
        """Requests not yet answered, of bookings whose details still exist."""
        return self.filter(sent_at__isnull=True, consultation__erased_at__isnull=True)


class GoodFaithEstimate(models.Model):
    """A request for a Good Faith Estimate (No Surprises Act), made with a booking by someone
    paying themselves or not sure yet. It is due three business days after the request
    (`consultations.calls.estimates.due_date`) and shows on the agenda until marked sent."""

    wagtail_reference_index_ignore = True

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="good_faith_estimate"
    )
    requested_at = models.DateTimeField()
    due_on = models.DateField(help_text="Pacific Time: three business days after the request.")
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = GoodFaithEstimateQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "requested_at"]

    def __str__(self):
        return f"Good Faith Estimate due {self.due_on:%Y-%m-%d}"

    def is_overdue(self, today) -> bool:
        return self.sent_at is None and today > self.due_on
