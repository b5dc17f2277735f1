"""The pages a practice's visitors and the law expect: versioned legal notices (the Notice of
Privacy Practices, the telehealth consent), the Good Faith Estimate notice, the accessibility
statement and its problem reports, fees with the out-of-network estimator, the FAQ and the visit
page. The practice settings choose which notices the booking links to."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from kindman.blocks import RICH_TEXT_FEATURES
from kindman.origin import page_public_url
from kindman.privacy import mark_private

from .blocks import FAQStreamBlock, NoticeStreamBlock

SUMMARY_HELP = "One or two sentences: shown under the title and as the search-result snippet."


class PracticePage(Page):
    """What every practice page shares: a summary and a place directly under the home page."""

    summary = models.TextField(max_length=300, help_text=SUMMARY_HELP)

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["kindman.HomePage"]
    subpage_types = []

    class Meta:
        abstract = True

    @property
    def meta_description(self) -> str:
        return self.search_description or self.summary

    def structured_data(self, request) -> dict | None:
        return None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            canonical_url=page_public_url(self, request),
            structured_data=self.structured_data(request),
        )
        return context


class LegalNoticePage(PracticePage):
    """A notice people agree to or are given (the Notice of Privacy Practices, the telehealth
    consent). Its version label is recorded with each booking; earlier versions stay in the
    page's history."""

    version_label = models.CharField(
        max_length=40,
        help_text="e.g. “2026-01”. Change it whenever the notice's meaning changes: each booking "
        "records the version that was live when the person agreed.",
    )
    effective_date = models.DateField(help_text="The day this version takes effect.")
    body = StreamField(NoticeStreamBlock())

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("version_label"), FieldPanel("effective_date")]),
        FieldPanel("body"),
    ]
    search_fields = [*PracticePage.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = "legal notice"


class GoodFaithEstimatePage(PracticePage):
    """The No Surprises Act notice: people not using insurance may ask for a Good Faith
    Estimate. Linked from the footer, the fees page and the booking page."""

    body = StreamField(NoticeStreamBlock())

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*PracticePage.search_fields, index.SearchField("body")]
    max_count = 1

    class Meta:
        verbose_name = "Good Faith Estimate notice"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        fees = FeesPage.objects.live().public().first()
        context["fees_url"] = fees.get_url(request) if fees else None
        return context


class AccessibilityPage(PracticePage):
    """The accessibility statement: the standard, how it is tested, known limits, and the way to
    report a problem (a form that reaches the practice)."""

    standard = models.CharField(
        max_length=80, default="WCAG 2.2 level AA", help_text="The standard the site aims to meet."
    )
    last_reviewed = models.DateField(
        help_text="When the statement was last checked against the site."
    )
    body = StreamField(
        NoticeStreamBlock(), help_text="How the site is tested and its known limits."
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("standard"), FieldPanel("last_reviewed")]),
        FieldPanel("body"),
    ]
    search_fields = [*PracticePage.search_fields, index.SearchField("body")]
    max_count = 1

    class Meta:
        verbose_name = "accessibility statement"


class FeesPage(PracticePage):
    """Fees by clinician level, the sliding scale, cancellations, insurance and superbills, and
    an estimator of out-of-network costs that runs on the server (a GET form)."""

    sliding_scale = RichTextField(
        features=RICH_TEXT_FEATURES, help_text="What the sliding scale is and who it is for."
    )
    cancellation_policy = RichTextField(features=RICH_TEXT_FEATURES)
    in_network_plans = models.TextField(
        blank=True,
        help_text="One plan per line. Leave empty if the practice is in no plan's network.",
    )
    insurance = RichTextField(
        features=RICH_TEXT_FEATURES,
        help_text="Out-of-network benefits and what a superbill is.",
    )
    estimator_intro = models.TextField(
        max_length=400,
        blank=True,
        help_text="Shown above the estimator: what to ask the insurer first.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        InlinePanel("fees", heading="Fees by clinician level", label="Fee", min_num=1),
        FieldPanel("sliding_scale"),
        FieldPanel("cancellation_policy"),
        MultiFieldPanel(
            [FieldPanel("in_network_plans"), FieldPanel("insurance")],
            heading="Insurance and superbills",
        ),
        FieldPanel("estimator_intro"),
    ]
    search_fields = [
        *PracticePage.search_fields,
        index.SearchField("sliding_scale"),
        index.SearchField("cancellation_policy"),
        index.SearchField("insurance"),
    ]
    max_count = 1

    class Meta:
        verbose_name = "fees and insurance page"

    def serve(self, request, *args, **kwargs):
        from .forms import EstimatorForm

        response = super().serve(request, *args, **kwargs)
        # Someone's own figures are theirs: an estimate is never kept by a cache or indexed.
        if any(name in request.GET for name in EstimatorForm.FIELDS):
            mark_private(response)
        return response

    @property
    def plan_list(self) -> list[str]:
        return [line.strip() for line in self.in_network_plans.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        from .forms import EstimatorForm

        context = super().get_context(request, *args, **kwargs)
        fees = list(self.fees.all())
        form = EstimatorForm.from_query(request.GET, fees=fees)
        context.update(
            fee_rows=fees,
            estimator=form,
            estimate=form.estimate() if form.is_bound and form.is_valid() else None,
            good_faith_estimate=GoodFaithEstimatePage.objects.live().public().first(),
        )
        return context


class Fee(Orderable):
    page = ParentalKey(FeesPage, on_delete=models.CASCADE, related_name="fees")
    clinician_level = models.CharField(
        max_length=80, help_text="e.g. “Licensed therapist”, “Associate”, “Graduate trainee”."
    )
    session = models.CharField(max_length=80, help_text="e.g. “50-minute individual session”.")
    amount = models.DecimalField("fee (USD)", max_digits=7, decimal_places=2)
    note = models.CharField(max_length=160, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("clinician_level"), FieldPanel("session"), FieldPanel("amount")]),
        FieldPanel("note"),
    ]

    def __str__(self):
        return f"{self.clinician_level}, {self.session}: ${self.amount:,.2f}"


class FAQPage(PracticePage):
    body = StreamField(FAQStreamBlock())

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*PracticePage.search_fields, index.SearchField("body")]
    max_count = 1

    class Meta:
        verbose_name = "FAQ page"

    def structured_data(self, request) -> dict:
        from kindman.structured_data import faq_page  # it reads PracticeSettings: no cycle

        return faq_page(self, request)


class VisitPage(PracticePage):
    """How to find the practice and what online sessions need; the address and phone come from
    the practice settings, the opening hours from this page."""

    entrance = RichTextField(
        features=RICH_TEXT_FEATURES, help_text="Finding the door, and the step-free way in."
    )
    metro = RichTextField(
        "by Metro", features=RICH_TEXT_FEATURES, help_text="The A Line, Highland Park station."
    )
    bus = RichTextField("by bus", features=RICH_TEXT_FEATURES)
    parking = RichTextField(features=RICH_TEXT_FEATURES)
    accessibility = RichTextField(
        "access", features=RICH_TEXT_FEATURES, help_text="Step-free access, restrooms, seating."
    )
    online_sessions = RichTextField(
        features=RICH_TEXT_FEATURES, help_text="What someone needs for a session online."
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("entrance"),
        MultiFieldPanel(
            [FieldPanel("metro"), FieldPanel("bus"), FieldPanel("parking")],
            heading="Getting here",
        ),
        FieldPanel("accessibility"),
        FieldPanel("online_sessions"),
        InlinePanel("opening_hours", heading="Opening hours (Pacific Time)", label="Hours"),
        FieldRowPanel(
            [FieldPanel("latitude"), FieldPanel("longitude")],
            heading="Map position (optional, for search engines)",
        ),
    ]
    search_fields = [
        *PracticePage.search_fields,
        index.SearchField("entrance"),
        index.SearchField("metro"),
        index.SearchField("bus"),
        index.SearchField("parking"),
        index.SearchField("accessibility"),
    ]
    max_count = 1

    class Meta:
        verbose_name = "visit page"

    def structured_data(self, request) -> dict:
        from kindman.structured_data import visit_page  # it reads PracticeSettings: no cycle

        return visit_page(self, request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["hours"] = self.opening_hours.all()
        return context

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                {"longitude": "Give both the latitude and the longitude, or neither."}
            )


class OpeningHours(Orderable):
    WEEKDAYS = [
        (0, _("Monday")),
        (1, _("Tuesday")),
        (2, _("Wednesday")),
        (3, _("Thursday")),
        (4, _("Friday")),
        (5, _("Saturday")),
        (6, _("Sunday")),
    ]

    page = ParentalKey(VisitPage, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    opens = models.TimeField()
    closes = models.TimeField()

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")])]

    class Meta(Orderable.Meta):
        verbose_name = "opening hours"
        verbose_name_plural = "opening hours"

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": "Closing must be after opening."})


def notice_versions_in_force(request=None) -> dict[str, str]:
    """The version labels of the live privacy notice and telehealth consent, as a booking
    records them ("" where a notice is not chosen, not live or not a legal notice)."""
    from kindman.models import PracticeSettings

    practice = PracticeSettings.load(request_or_site=request)
    chosen = {
        "privacy_notice_version": practice.privacy_page_id,
        "telehealth_consent_version": practice.telehealth_consent_page_id,
    }
    live = dict(
        LegalNoticePage.objects.live()
        .filter(pk__in=[pk for pk in chosen.values() if pk])
        .values_list("pk", "version_label")
    )
    return {field: live.get(pk, "") for field, pk in chosen.items()}


REPORT_RETENTION = timedelta(days=90)


class AccessibilityReport(models.Model):
    """A problem someone met using the site, sent from the accessibility statement. Emailed to
    the practice; erased after 90 days (`purge_personal_data`)."""

    wagtail_reference_index_ignore = True

    problem = models.TextField(max_length=2000, help_text="What went wrong, in their words.")
    page_address = models.CharField(max_length=300, blank=True)
    assistive_technology = models.CharField(max_length=200, blank=True)
    reply_email = models.EmailField(
        blank=True, help_text="Only if they want an answer. Seen by staff only."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Accessibility report of {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    @classmethod
    def erase_old(cls, *, now=None, retention: timedelta = REPORT_RETENTION) -> int:
        now = now or timezone.now()
        deleted, _ = cls.objects.filter(created_at__lt=now - retention).delete()
        return deleted
