"""The free 20-minute phone consultation: who answers the phone and when, the booking rules,
the bookings themselves, and the emails sent about them.

Personal data lives only on `Consultation` (see docs/data-protection.md); every other model here
holds schedules, rules or delivery bookkeeping."""

import re
import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Orderable

from .timezones import PRACTICE_TZ

# What a manage token can look like; anything else is refused before it reaches the database.
MANAGE_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def new_manage_token() -> str:
    """An unguessable, URL-safe secret (256 bits) for the no-account manage link."""
    return secrets.token_urlsafe(32)


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
        default=(
            "A relaxed, free 20-minute phone call with our Care Coordinator. Tell us a little "
            "about what you're looking for and we'll help you find the right therapist. "
            "There's no commitment."
        ),
        help_text="Shown at the top of the booking page.",
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
    ]

    class Meta:
        verbose_name = "consultation booking rules"

    def clean(self):
        if not self.call_minutes:
            raise ValidationError({"call_minutes": "A call needs at least one minute."})
        if not self.horizon_days:
            raise ValidationError({"horizon_days": "Allow booking at least one day ahead."})


class ClientBooking(models.Model):
    """What every booking made by a client holds: how they reach their booking without an
    account, the name they want us to use, and the bookkeeping for invites and erasure. Shared
    by consultation calls and information-session registrations; subclasses set
    ACTIVE_STATUSES."""

    ACTIVE_STATUSES: tuple = ()

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    manage_token = models.CharField(
        max_length=64, unique=True, default=new_manage_token, editable=False
    )
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    name = models.CharField(
        "name to use", max_length=80, help_text="A pseudonym is fine. Seen by coordinators only."
    )
    pronouns = models.CharField(max_length=40, blank=True)
    discreet = models.BooleanField(
        default=False, help_text="Neutral wording in emails and the calendar invite."
    )
    consent_at = models.DateTimeField(null=True, blank=True, editable=False)
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    ics_sequence = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    deliveries = GenericRelation("consultations.EmailDelivery")

    # Kept out of Wagtail's reference index: a client's booking never shows up in a therapist
    # page's "usage" listing, and a booking's insert queues no index task.
    wagtail_reference_index_ignore = True

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


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
        IN_PERSON = "in_person", "In person, in Highland Park"
        ONLINE = "online", "Online (video)"
        EITHER = "either", "Either / not sure yet"

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
        return bool(self.state) and self.state != "CA"


class EmailDeliveryQuerySet(models.QuerySet):
    def needing_attention(self):
        """Emails that have not gone out: failed for good, or failing and being retried."""
        return self.filter(status__in=EmailDelivery.ATTENTION_STATUSES)

    def with_bookings(self):
        """Each delivery's booking (a call, or a registration with its session) in one query
        per kind of booking."""
        from django.contrib.contenttypes.prefetch import GenericPrefetch

        return self.prefetch_related(
            GenericPrefetch(
                "subject_object",
                [Consultation.objects.all(), SessionRegistration.objects.select_related("session")],
            )
        )


class EmailDelivery(models.Model):
    """One outgoing email, so staff can see what was sent, what failed and what is retrying.
    Holds no personal data: the message is built from its subject object when sent."""

    wagtail_reference_index_ignore = True  # bookkeeping: nothing an editor's "usage" needs

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RETRYING = "retrying", "Retrying"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped (no longer relevant)"

    class Kind(models.TextChoices):
        """Every kind an `emails.email_builder` sends, named for the staff who read the list."""

        CONSULTATION_CONFIRMATION = "consultation_confirmation", "Confirmation to the client"
        CONSULTATION_REMINDER = "consultation_reminder", "Reminder to the client"
        CONSULTATION_RESCHEDULED = "consultation_rescheduled", "Move notice to the client"
        CONSULTATION_CANCELLED = "consultation_cancelled", "Cancellation to the client"
        CONSULTATION_STAFF_NEW = "consultation_staff_new", "New-booking notice to staff"
        CONSULTATION_STAFF_RESCHEDULED = "consultation_staff_rescheduled", "Move notice to staff"
        CONSULTATION_STAFF_CANCELLED = (
            "consultation_staff_cancelled",
            "Cancellation notice to staff",
        )
        SESSION_CONFIRMATION = "session_confirmation", "Session seat confirmation"
        SESSION_WAITLISTED = "session_waitlisted", "Session waitlist notice"
        SESSION_PROMOTED = "session_promoted", "Session seat offered from the waitlist"
        SESSION_CANCELLED = "session_cancelled", "Session registration cancelled"
        SESSION_ALREADY_REGISTERED = (
            "session_already_registered",
            "Session details again (already registered)",
        )

    ATTENTION_STATUSES = (Status.FAILED, Status.RETRYING)
    # The emails that tell a client their call's time: if one fails, the coordinator calls them.
    CLIENT_CONFIRMATIONS = (Kind.CONSULTATION_CONFIRMATION, Kind.CONSULTATION_RESCHEDULED)

    kind = models.CharField(max_length=40, choices=Kind.choices)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject_object = GenericForeignKey("content_type", "object_id")
    sequence = models.PositiveIntegerField(
        default=0, help_text="The invite sequence this email was about; stale ones are skipped."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True, help_text="Error type only.")
    send_after = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmailDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "email deliveries"
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def needs_attention(self) -> bool:
        return self.status in self.ATTENTION_STATUSES

    @property
    def retry_delay(self) -> timedelta:
        # 1, 4, 16, 64 minutes...
        return timedelta(minutes=4 ** max(self.attempts - 1, 0))


# --- Information sessions ---


class InfoSessionQuerySet(models.QuerySet):
    def with_seats_taken(self):
        return self.annotate(
            seats_taken=models.Count(
                "registrations",
                filter=Q(registrations__status=SessionRegistration.Status.REGISTERED),
            )
        )

    def upcoming(self, now: datetime | None = None):
        return self.filter(published=True, starts_at__gt=now or timezone.now())

    def for_listing(self, now: datetime | None = None):
        return self.upcoming(now).with_seats_taken().order_by("starts_at", "pk")


class InfoSession(models.Model):
    """A free information session (online or in person) with a fixed number of seats. Holds no
    personal data; the join link of an online session goes only to registrants."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online (video)"

    title = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=80, unique=True, help_text="The address: /info-sessions/<slug>/."
    )
    audience = models.CharField(
        max_length=160,
        blank=True,
        help_text="Who it is for, e.g. “Free information session: therapy for sex workers”.",
    )
    description = models.TextField(
        help_text="Shown on the public page. Plain text; blank lines start a paragraph."
    )
    starts_at = models.DateTimeField(db_index=True, help_text="Pacific Time.")
    ends_at = models.DateTimeField(help_text="Pacific Time.")
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.IN_PERSON)
    place = models.CharField(
        max_length=200,
        blank=True,
        help_text="In person: the address, shown publicly. Online: leave empty.",
    )
    join_url = models.URLField(
        "join link",
        blank=True,
        help_text="Online: the video link. Sent only to registered people (email, invite, their "
        "private page); never shown on the public page.",
    )
    capacity = models.PositiveSmallIntegerField(
        help_text="Seats. Beyond this, people join a waitlist."
    )
    registration_opens_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty: open as soon as it is published."
    )
    registration_closes_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty: registration closes when the session starts."
    )
    published = models.BooleanField(default=True, help_text="Listed on /info-sessions/.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InfoSessionQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldPanel("slug"),
                FieldPanel("audience"),
                FieldPanel("description"),
            ],
            heading="What it is",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("format"),
                FieldPanel("place"),
                FieldPanel("join_url"),
            ],
            heading="When and where (Pacific Time)",
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldRowPanel(
                    [FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]
                ),
                FieldPanel("published"),
            ],
            heading="Registration",
        ),
    ]

    class Meta:
        ordering = ["starts_at"]
        verbose_name = "information session"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="infosession_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.starts_at_local:%b %-d, %Y})"

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The end must be after the start."
        if self.format == self.Format.ONLINE and not self.join_url:
            errors["join_url"] = "An online session needs a join link."
        if self.format == self.Format.IN_PERSON and not self.place:
            errors["place"] = "Give the address of an in-person session."
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            errors["registration_closes_at"] = "Registration must close after it opens."
        if errors:
            raise ValidationError(errors)

    @property
    def starts_at_local(self) -> datetime:
        return self.starts_at.astimezone(PRACTICE_TZ)

    @property
    def ends_at_local(self) -> datetime:
        return self.ends_at.astimezone(PRACTICE_TZ)

    @property
    def is_online(self) -> bool:
        return self.format == self.Format.ONLINE

    @property
    def closes_at(self) -> datetime:
        return self.registration_closes_at or self.starts_at

    def registration_state(self, now: datetime | None = None) -> str:
        """ "not_yet", "open" or "closed"."""
        now = now or timezone.now()
        if not self.published or now >= self.closes_at or now >= self.starts_at:
            return "closed"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet"
        return "open"

    def is_open(self, now: datetime | None = None) -> bool:
        return self.registration_state(now) == "open"

    def seats_left(self) -> int:
        """Needs `seats_taken` (from `with_seats_taken()`) or counts."""
        taken = getattr(self, "seats_taken", None)
        if taken is None:
            taken = self.registrations.registered().count()
        return max(self.capacity - taken, 0)


class SessionRegistrationQuerySet(models.QuerySet):
    def registered(self):
        return self.filter(status=SessionRegistration.Status.REGISTERED)

    def waitlisted(self):
        return self.filter(status=SessionRegistration.Status.WAITLISTED).order_by(
            "created_at", "pk"
        )

    def active(self):
        return self.filter(status__in=SessionRegistration.ACTIVE_STATUSES)

    def roster(self):
        """Registered people first, then the waitlist in the order it will be promoted."""
        return (
            self.select_related("session")
            .annotate(
                status_rank=models.Case(
                    models.When(status="registered", then=0),
                    models.When(status="waitlisted", then=1),
                    default=2,
                )
            )
            .order_by("session__starts_at", "status_rank", "created_at", "pk")
        )


class SessionRegistration(ClientBooking):
    """One person's seat (or waitlist place) at an information session. Personal fields are seen
    by care coordinators only, never by other attendees; erased on request or by retention."""

    class Status(models.TextChoices):
        REGISTERED = "registered", "Registered"
        WAITLISTED = "waitlisted", "Waitlisted"
        CANCELLED = "cancelled", "Cancelled"

    class Attendance(models.TextChoices):
        UNKNOWN = "", "Not marked"
        ATTENDED = "attended", "Attended"
        ABSENT = "absent", "Did not attend"

    ACTIVE_STATUSES = (Status.REGISTERED, Status.WAITLISTED)

    session = models.ForeignKey(InfoSession, on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REGISTERED)
    attendance = models.CharField(
        max_length=10, choices=Attendance.choices, default=Attendance.UNKNOWN, blank=True
    )
    email = models.EmailField(
        help_text="Seen by coordinators only; never shown to other attendees."
    )
    promoted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    objects = SessionRegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "session registration"
        constraints = [
            models.UniqueConstraint(
                models.F("session"),
                models.functions.Lower("email"),
                condition=Q(status__in=["registered", "waitlisted"]),
                name="sessionregistration_one_active_per_email",
            ),
        ]

    def __str__(self):
        # No name here: this label is copied into the audit log, which outlives erasure.
        return f"Registration #{self.pk} – {self.session.title} ({self.get_status_display()})"

    def clean(self):
        # The unique index's check, for staff edits (the admin form has no `session` field, so
        # Django's own constraint validation skips it).
        if self.is_active and self.session_id and self.email:
            clash = SessionRegistration.objects.active().filter(
                session_id=self.session_id, email__iexact=self.email
            )
            if clash.exclude(pk=self.pk).exists():
                raise ValidationError({"email": "This email already has a place at this session."})

    def is_manageable(self, now: datetime | None = None) -> bool:
        return self.is_active and self.session.starts_at > (now or timezone.now())

    @property
    def waitlist_position(self) -> int | None:
        if self.status != self.Status.WAITLISTED:
            return None
        earlier = self.session.registrations.waitlisted().filter(
            Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk)
        )
        return earlier.count() + 1


class RateLimitCount(models.Model):
    """Requests counted for `spam.rate_limited`: one row per scope, address and time window,
    counted up in one atomic statement. Holds a keyed hash of the address, never the address;
    `purge_personal_data` deletes rows whose window is over. The table is UNLOGGED (migration
    0007): counting waits for no disk flush, and a crash only empties it."""

    key = models.CharField(max_length=100, primary_key=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.key
