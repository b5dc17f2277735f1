"""Free information sessions (online or in person) with a fixed number of seats, and the
registrations for them, with a waitlist."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from kindman.timezones import PRACTICE_TZ

from ..bookings.models import ClientBooking

HELD_IN = {"en": _("This session is in English."), "es": _("This session is in Spanish.")}


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
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text="The language it is held in: pages in the other language say so.",
    )
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
                FieldRowPanel([FieldPanel("format"), FieldPanel("language")]),
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
    def language_note(self) -> str:
        """Said where the session is held in another language than the page's; else ""."""
        if self.language == get_language():
            return ""
        return str(HELD_IN.get(self.language, ""))

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
