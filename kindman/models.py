from datetime import timedelta

from django import forms
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_noop
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import GroupPagePermission, Page
from wagtail.search import index

from .blocks import (
    BOOKING_TARGETS,
    RICH_TEXT_FEATURES,
    BodyStreamBlock,
    HomeStreamBlock,
    LicensingBoardsBlock,
    target_url,
)
from .practice.models import (  # registered with the app by this import
    AccessibilityPage,
    AccessibilityReport,
    FAQPage,
    Fee,
    FeesPage,
    GoodFaithEstimatePage,
    LegalNoticePage,
    OpeningHours,
    VisitPage,
)


class EditorsPublishHere:
    """For section index pages (blog, therapists): once created, the `Editors` group may add, edit
    and publish (and so schedule) pages below it, and nowhere new."""

    def save(self, *args, **kwargs):
        creating = self._state.adding
        result = super().save(*args, **kwargs)
        if creating:
            editors = Group.objects.filter(name="Editors").first()
            if editors is not None:
                for codename in ("add_page", "change_page", "publish_page"):
                    GroupPagePermission.objects.get_or_create(
                        group=editors,
                        page=self.page_ptr,
                        permission=Permission.objects.get(
                            content_type__app_label="wagtailcore", codename=codename
                        ),
                    )
        return result


class HomePage(Page):
    hero_heading = models.CharField(max_length=120)
    hero_text = models.TextField(max_length=400)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A wide, calm picture; it is shown beside the heading as decoration.",
    )
    hero_action_label = models.CharField(
        "button label", max_length=60, default="Book a free 20-minute call"
    )
    hero_action_booking = models.CharField(
        "button goes to a booking",
        max_length=40,
        choices=BOOKING_TARGETS,
        blank=True,
        default="consultations:book",
    )
    hero_action_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="…or to a page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_note = models.CharField(
        "under the button",
        max_length=120,
        blank=True,
        help_text='A few reassuring words, e.g. "Free and confidential. No commitment."',
    )
    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True)
    body = StreamField(HomeStreamBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_action_label"),
                FieldRowPanel([FieldPanel("hero_action_booking"), FieldPanel("hero_action_page")]),
                FieldPanel("hero_note"),
            ],
            heading="Hero",
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "kindman.StandardPage",
        "therapists.TherapistIndexPage",
        "blog.BlogIndexPage",
        "kindman.LegalNoticePage",
        "kindman.GoodFaithEstimatePage",
        "kindman.AccessibilityPage",
        "kindman.FeesPage",
        "kindman.FAQPage",
        "kindman.VisitPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def clean(self):
        super().clean()
        if bool(self.hero_action_booking) == bool(self.hero_action_page_id):
            raise ValidationError(
                {"hero_action_page": "Choose where the button goes: a booking or a page, not both."}
            )

    @property
    def hero_action_url(self):
        """Where the hero's one button goes, or None if its page is gone or unpublished."""
        return target_url(self.hero_action_page, self.hero_action_booking)


class StandardPage(Page):
    """Plain content pages: about, privacy notice, fees."""

    summary = models.TextField(
        max_length=300, blank=True, help_text="Shown as the meta description."
    )
    body = StreamField(BodyStreamBlock())

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["kindman.HomePage", "kindman.StandardPage"]
    subpage_types = ["kindman.StandardPage"]


# Written for this site as a template to be reviewed; marked for the catalogue so Spanish pages
# show them translated while they are unchanged.
BOARD_NOTICES = {
    "bbs": gettext_noop(
        "The California Board of Behavioral Sciences licenses and oversees marriage and family "
        "therapists, clinical social workers, professional clinical counselors and their "
        "associates. It answers questions and complaints about their services."
    ),
    "psy": gettext_noop(
        "The California Board of Psychology licenses and oversees psychologists. It answers "
        "questions and complaints about the practice of psychology."
    ),
}


def default_licensing_boards():
    """The two California boards that license psychotherapists, with their public contacts."""
    return [
        {
            "type": "board",
            "value": {
                "name": gettext_noop("California Board of Behavioral Sciences"),
                "regulates": ["LMFT", "LCSW", "LPCC", "AMFT", "ASW", "APCC"],
                "notice": BOARD_NOTICES["bbs"],
                "phone": "(916) 574-7830",
                "website": "https://www.bbs.ca.gov/",
                "address": "1625 North Market Blvd., Suite S-200, Sacramento, CA 95834",
            },
        },
        {
            "type": "board",
            "value": {
                "name": gettext_noop("California Board of Psychology"),
                "regulates": ["PSY"],
                "notice": BOARD_NOTICES["psy"],
                "phone": "(916) 574-7720",
                "website": "https://www.psychology.ca.gov/",
                "address": "1625 North Market Blvd., Suite N-215, Sacramento, CA 95834",
            },
        },
    ]


@register_setting(icon="site")
class PracticeSettings(BaseGenericSetting):
    """The practice's details and the crisis wording, shown on every page."""

    name = models.CharField(max_length=80, default="Kindman & Co.")
    tagline = models.CharField(
        max_length=160, default=gettext_noop("Relational therapy in Highland Park and online")
    )
    street_address = models.CharField(max_length=120, default="Highland Park")
    locality = models.CharField(max_length=80, default="Los Angeles")
    region = models.CharField(max_length=2, default="CA")
    postal_code = models.CharField(max_length=10, blank=True, default="90042")
    phone = models.CharField(max_length=30, default="(323) 555-0142")
    email = models.EmailField(default="hello@kindman.example")
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Linked from the footer and from every booking form's consent box. Choose a "
        "legal notice (the Notice of Privacy Practices): each booking records its version.",
    )
    crisis_text = models.CharField(
        max_length=200,
        # Marked for the catalogue: the Spanish pages show it translated while it is unchanged.
        default=gettext_noop("If you are in crisis, call or text 988. In an emergency, call 911."),
        help_text="Shown in the footer and on every booking page.",
    )
    telehealth_consent_page = models.ForeignKey(
        "kindman.LegalNoticePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Linked from the footer and the booking form; each booking records its version.",
    )
    licensing_boards = StreamField(
        LicensingBoardsBlock(),
        blank=True,
        default=default_licensing_boards,
        help_text=(
            "The consumer notice of each state board that regulates the practice's therapists. "
            "The footer shows a board while a published profile holds a licence it regulates."
        ),
    )
    licence_lookup_url = models.URLField(
        "public licence lookup",
        default="https://search.dca.ca.gov/",
        help_text="Where anyone can check a licence or registration; linked from every profile.",
    )

    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("tagline")], heading="Practice"),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldPanel("locality"),
                FieldPanel("region"),
                FieldPanel("postal_code"),
                FieldPanel("phone"),
                FieldPanel("email"),
            ],
            heading="Contact",
        ),
        FieldPanel("crisis_text"),
        MultiFieldPanel(
            [
                PageChooserPanel("privacy_page", "kindman.LegalNoticePage"),
                PageChooserPanel("telehealth_consent_page", "kindman.LegalNoticePage"),
            ],
            heading="Notices the booking links to",
        ),
        MultiFieldPanel(
            [FieldPanel("licensing_boards"), FieldPanel("licence_lookup_url")],
            heading="Licensing boards (the footer's consumer notices)",
        ),
    ]

    class Meta:
        verbose_name = "practice settings"


@register_setting(icon="lock")
class SecuritySettings(BaseGenericSetting):
    """Which staff groups must use a second sign-in factor (kindman/second_factor.py)."""

    second_factor_groups = models.ManyToManyField(
        "auth.Group",
        blank=True,
        related_name="+",
        verbose_name="groups that must use two-step sign-in",
        help_text=(
            "Members of these groups must enrol an authenticator app before using the admin, "
            "and enter a code each time they sign in. Other staff may enrol if they wish."
        ),
    )

    panels = [FieldPanel("second_factor_groups", widget=forms.CheckboxSelectMultiple)]

    class Meta:
        verbose_name = "security settings"


class EmailDeliveryQuerySet(models.QuerySet):
    def needing_attention(self):
        """Emails that have not gone out: failed for good, or failing and being retried."""
        return self.filter(status__in=EmailDelivery.ATTENTION_STATUSES)


class EmailDelivery(models.Model):
    """One outgoing email (the outbox), so staff can see what was sent, what failed and what is
    retrying. Holds no personal data: the message is built from its subject object when sent
    (`kindman.emails`)."""

    wagtail_reference_index_ignore = True  # bookkeeping: nothing an editor's "usage" needs

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RETRYING = "retrying", "Retrying"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped (no longer relevant)"

    ATTENTION_STATUSES = (Status.FAILED, Status.RETRYING)

    # What the email is, as registered by its builder (`kindman.emails.email_builder`).
    kind = models.CharField(max_length=40)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject_object = GenericForeignKey("content_type", "object_id")
    sequence = models.PositiveIntegerField(
        default=0, help_text="The invite sequence this email was about; stale ones are skipped."
    )
    details = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the email needs besides its subject (e.g. a device's name); never an "
        "address or anything a client wrote.",
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
        return f"{self.kind_label} #{self.pk} ({self.get_status_display()})"

    @property
    def kind_label(self) -> str:
        """What the email is, in the words of the staff who read the list."""
        from kindman.emails import kind_label

        return kind_label(self.kind)

    @property
    def needs_attention(self) -> bool:
        return self.status in self.ATTENTION_STATUSES

    @property
    def retry_delay(self) -> timedelta:
        # 1, 4, 16, 64 minutes...
        return timedelta(minutes=4 ** max(self.attempts - 1, 0))


class RateLimitCount(models.Model):
    """Requests counted for `kindman.spam.rate_limited`: one row per scope, address and time
    window, counted up in one atomic statement. Holds a keyed hash of the address, never the
    address; `purge_personal_data` deletes rows whose window is over. The table is UNLOGGED: a
    crash only empties it."""

    key = models.CharField(max_length=100, primary_key=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.key


__all__ = [
    "AccessibilityPage",
    "AccessibilityReport",
    "EditorsPublishHere",
    "EmailDelivery",
    "FAQPage",
    "Fee",
    "FeesPage",
    "GoodFaithEstimatePage",
    "HomePage",
    "LegalNoticePage",
    "OpeningHours",
    "PracticeSettings",
    "RateLimitCount",
    "SecuritySettings",
    "StandardPage",
    "VisitPage",
]
