from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager, PageQuerySet
from wagtail.search import index

from kindman.blocks import RICH_TEXT_FEATURES
from kindman.languages import in_reading_language
from kindman.models import EditorsPublishHere
from kindman.origin import public_url
from kindman.structured_data import profile_page


class Taxonomy(models.Model):
    """A name staff manage in the admin, with a slug for query strings."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Specialty(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name_plural = "specialties"


class Modality(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name_plural = "modalities"


class Language(Taxonomy):
    pass


# California licences and associate registrations (Board of Behavioral Sciences, Board of
# Psychology), by the abbreviation the state's licence lookup uses.
LICENSED_TYPES = {
    "LMFT": gettext_noop("Licensed Marriage and Family Therapist"),
    "LCSW": gettext_noop("Licensed Clinical Social Worker"),
    "LPCC": gettext_noop("Licensed Professional Clinical Counselor"),
    "PSY": gettext_noop("Licensed Psychologist"),
}
ASSOCIATE_TYPES = {
    "AMFT": gettext_noop("Associate Marriage and Family Therapist"),
    "ASW": gettext_noop("Associate Clinical Social Worker"),
    "APCC": gettext_noop("Associate Professional Clinical Counselor"),
}
BOARDS = {
    **dict.fromkeys(
        ["LMFT", "LCSW", "LPCC", *ASSOCIATE_TYPES], "California Board of Behavioral Sciences"
    ),
    "PSY": "California Board of Psychology",
}
LICENCE_TYPES = [
    (code, f"{name} ({code})") for code, name in {**LICENSED_TYPES, **ASSOCIATE_TYPES}.items()
]

# The profile photo for og:image: one of those therapists/therapist_page.html shows.
SHARE_PHOTO = "fill-800x800|width-640|format-webp"


# Twelve cards fill 2, 3 or 4 columns evenly and are few enough for a phone to lay out without
# blocking.
THERAPISTS_PER_PAGE = 12


def absolute_media_url(url: str) -> str:
    """A rendition's URL: already absolute from object storage, else on the public origin."""
    return url if "://" in url else public_url(url)


class TherapistIndexPage(EditorsPublishHere, Page):
    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["kindman.HomePage"]
    subpage_types = ["therapists.TherapistPage"]
    max_count = 1

    class Meta:
        verbose_name = "therapist directory"

    def get_context(self, request, *args, **kwargs):
        from therapists.forms import DirectoryFilterForm

        context = super().get_context(request, *args, **kwargs)
        form = DirectoryFilterForm(request.GET)
        therapists = self.therapists().for_directory().matching(**form.filters())
        # Any `?page=` lands on a real page: a number past the end on the last, junk on the first.
        results = Paginator(therapists, THERAPISTS_PER_PAGE).get_page(request.GET.get("page"))
        # With the request, every URL on the page shares one lookup of the site's root paths.
        # A filtered list is a variation of the directory; each page of the whole list is its own.
        canonical = self.get_full_url(request)
        if results.number > 1 and not form.is_filtered:
            canonical += form.page_query(results.number)
        context.update(
            canonical_url=canonical,
            filter_form=form,
            results=results,
            therapists=results.object_list,
            pagination=form.pagination(results),
        )
        return context

    def therapists(self) -> "TherapistPageQuerySet":
        return TherapistPage.objects.live().public().child_of(self)


class TherapistPageQuerySet(PageQuerySet):
    def for_directory(self):
        """Everything a directory card shows, in a fixed number of queries; the photos'
        renditions come from Wagtail's renditions cache (settings.CACHES)."""
        return self.select_related("photo", "supervisor").prefetch_related(
            "specialties", "languages"
        )

    def matching(
        self,
        *,
        specialties=(),
        works_with="",
        session_format="",
        language="",
        sliding_scale=False,
        accepting=False,
    ):
        """Therapists matching every given filter; any one of several specialties will do."""
        queryset = self
        if specialties:
            queryset = queryset.filter(
                pk__in=TherapistPage.specialties.through.objects.filter(
                    specialty__slug__in=specialties
                ).values("therapistpage_id")
            )
        if works_with:
            queryset = queryset.filter(**{f"works_with_{works_with}": True})
        if session_format:
            queryset = queryset.filter(**{f"offers_{session_format}": True})
        if language:
            queryset = queryset.filter(languages__slug=language)
        if sliding_scale:
            queryset = queryset.filter(sliding_scale=True)
        if accepting:
            queryset = queryset.filter(accepting_new_clients=True)
        return queryset

    def for_home(self, chosen=(), count: int = 4) -> list:
        """Portraits for the home page, in the language being read: the chosen therapists (by
        translation key) in the editor's order, or else those accepting new clients first."""
        therapists = in_reading_language(self.live().public()).select_related("photo")
        if chosen:
            found = therapists.filter(translation_key__in=chosen)
            by_key = {therapist.translation_key: therapist for therapist in found}
            return [by_key[key] for key in chosen if key in by_key][:count]
        return list(therapists.order_by("-accepting_new_clients", "title")[:count])


TherapistPageManager = PageManager.from_queryset(TherapistPageQuerySet)


class TherapistPage(Page):
    class LicenceStatus(models.TextChoices):
        LICENSED = "licensed", "Licensed"
        ASSOCIATE = "associate", "Registered associate"
        TRAINEE = "trainee", "Graduate student trainee"

    pronouns = models.CharField(max_length=40, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    photo_alt = models.CharField(
        "photo alt text",
        max_length=200,
        blank=True,
        help_text="Describe the photo for people who cannot see it. Required with a photo.",
    )
    role = models.CharField(
        max_length=120, help_text='e.g. "Licensed Marriage and Family Therapist"'
    )
    credentials = models.CharField(max_length=60, blank=True, help_text='e.g. "LMFT", "MA"')
    licence_status = models.CharField(
        max_length=12, choices=LicenceStatus.choices, default=LicenceStatus.LICENSED
    )
    licence_type = models.CharField(
        max_length=8,
        choices=LICENCE_TYPES,
        blank=True,
        help_text="The California licence, or for an associate the registration. Empty for "
        "trainees.",
    )
    licence_number = models.CharField(
        "licence or registration number",
        max_length=40,
        blank=True,
        help_text="As the state's licence lookup shows it. Required to publish, except for "
        "trainees.",
    )
    employed_by_practice = models.BooleanField(
        "employed by the practice",
        default=False,
        help_text="Associates must be: the profile says who employs them.",
    )
    supervisor = models.ForeignKey(
        "therapists.TherapistPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervisees",
        help_text="Required for trainees and associates: a licensed therapist of the practice, "
        "whose licence the profile shows.",
    )
    short_bio = models.TextField(
        max_length=600, help_text="Two or three sentences, shown under posts."
    )
    long_bio = RichTextField(features=RICH_TEXT_FEATURES, blank=True)
    specialties = ParentalManyToManyField(Specialty, blank=True, related_name="therapists")
    modalities = ParentalManyToManyField(Modality, blank=True, related_name="therapists")
    languages = ParentalManyToManyField(Language, blank=True, related_name="therapists")
    affirming_identities = models.CharField(
        max_length=300,
        blank=True,
        help_text='Communities this therapist affirms, e.g. "queer and trans people, sex workers".',
    )
    works_with_individuals = models.BooleanField("individuals", default=True)
    works_with_couples = models.BooleanField("couples", default=False)
    works_with_families = models.BooleanField("families", default=False)
    works_with_groups = models.BooleanField("groups", default=False)
    age_ranges = models.CharField(max_length=120, blank=True, help_text='e.g. "Adults 18+"')
    offers_in_person = models.BooleanField("in person in Highland Park", default=True)
    offers_online = models.BooleanField("online", default=True)
    accepting_new_clients = models.BooleanField(default=True)
    sliding_scale = models.BooleanField("offers a sliding scale", default=False)
    fee_note = models.CharField(max_length=200, blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("pronouns"),
                FieldRowPanel([FieldPanel("photo"), FieldPanel("photo_alt")]),
                FieldPanel("role"),
                FieldPanel("credentials"),
            ],
            heading="Who they are",
        ),
        MultiFieldPanel(
            [
                FieldPanel("licence_status"),
                FieldRowPanel([FieldPanel("licence_type"), FieldPanel("licence_number")]),
                FieldPanel("employed_by_practice"),
                FieldPanel("supervisor"),
            ],
            heading="Licence (shown on the profile and the directory card)",
        ),
        FieldPanel("short_bio"),
        FieldPanel("long_bio"),
        MultiFieldPanel(
            [
                FieldPanel("specialties", widget=forms.CheckboxSelectMultiple),
                FieldPanel("modalities", widget=forms.CheckboxSelectMultiple),
                FieldPanel("languages", widget=forms.CheckboxSelectMultiple),
                FieldPanel("affirming_identities"),
            ],
            heading="Focus",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("works_with_individuals"),
                        FieldPanel("works_with_couples"),
                        FieldPanel("works_with_families"),
                        FieldPanel("works_with_groups"),
                    ]
                ),
                FieldPanel("age_ranges"),
                FieldRowPanel([FieldPanel("offers_in_person"), FieldPanel("offers_online")]),
            ],
            heading="Who they work with, and how",
        ),
        MultiFieldPanel(
            [
                FieldPanel("accepting_new_clients"),
                FieldPanel("sliding_scale"),
                FieldPanel("fee_note"),
            ],
            heading="Availability and fees",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("role"),
        index.SearchField("short_bio"),
        index.SearchField("long_bio"),
        index.SearchField("affirming_identities"),
        index.RelatedFields("specialties", [index.SearchField("name")]),
        index.FilterField("accepting_new_clients"),
    ]

    objects = TherapistPageManager()

    parent_page_types = ["therapists.TherapistIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "therapist"

    WORKS_WITH = ("individuals", "couples", "families", "groups")
    WORKS_WITH_LABELS = (
        ("individuals", _("individuals")),
        ("couples", _("couples")),
        ("families", _("families")),
        ("groups", _("groups")),
    )
    FORMATS = (("in_person", _("In person in Highland Park")), ("online", _("Online")))

    @property
    def works_with(self) -> list[str]:
        return [
            str(label)
            for group, label in self.WORKS_WITH_LABELS
            if getattr(self, f"works_with_{group}")
        ]

    @property
    def session_formats(self) -> list[str]:
        return [label for value, label in self.FORMATS if getattr(self, f"offers_{value}")]

    @property
    def is_licensed(self) -> bool:
        return self.licence_status == self.LicenceStatus.LICENSED

    @property
    def has_licence_disclosure(self) -> bool:
        return (
            self.is_licensed
            and self.licence_type in LICENSED_TYPES
            and bool(self.licence_number.strip())
        )

    @property
    def licence_name(self) -> str:
        """The licence's title in the language being read (the admin's choices stay English)."""
        name = dict(LICENSED_TYPES, **ASSOCIATE_TYPES).get(self.licence_type, "")
        return gettext(name) if name else ""

    @property
    def licence_credential(self) -> dict | None:
        """The licence or registration as a schema.org credential, for the profile's data."""
        if not (self.licence_name and self.licence_number.strip()):
            return None
        return {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": "license" if self.is_licensed else "registration",
            "name": f"{self.licence_name} ({self.licence_type})",
            "identifier": self.licence_number.strip(),
            "recognizedBy": {
                "@type": "GovernmentOrganization",
                "name": BOARDS[self.licence_type],
            },
        }

    @property
    def live_supervisor(self):
        """The supervisor's page if it is still published; a link to it must never break."""
        if self.supervisor_id is None:
            return None
        supervisor = self.supervisor
        return supervisor if supervisor.live else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["canonical_url"] = self.get_full_url(request)
        # Wagtail routes to the bare profile: its taxonomies come with one query each (a new
        # profile being previewed holds them in memory), its photo's renditions from the cache.
        if self.pk:
            prefetch_related_objects([self], "specialties", "modalities", "languages")
        image_url = None
        if self.photo is not None:
            context["share_image"] = self.photo.get_renditions(SHARE_PHOTO)[SHARE_PHOTO]
            image_url = absolute_media_url(context["share_image"].url)
        context["structured_data"] = profile_page(self, request, image_url)
        return context

    @property
    def meta_description(self) -> str:
        return self.search_description or self.short_bio

    def clean(self):
        super().clean()
        errors = {}
        if self.photo_id and not self.photo_alt.strip():
            errors["photo_alt"] = "Describe the photo for people using screen readers."
        errors.update(self.licence_errors())
        if errors:
            raise ValidationError(errors)

    def licence_errors(self) -> dict[str, str]:
        """What the California licence disclosure lacks. Page.save() runs `clean()` whenever a
        page goes live, so no way of publishing (the editor, bulk actions, workflows,
        schedules) publishes a profile without it."""
        status, code = self.licence_status, self.licence_type
        errors = {}
        if status == self.LicenceStatus.LICENSED:
            if code not in LICENSED_TYPES:
                errors["licence_type"] = "Choose the therapist's licence."
            if not self.licence_number.strip():
                errors["licence_number"] = "Licensed therapists show their licence number."
        elif status == self.LicenceStatus.ASSOCIATE:
            if code not in ASSOCIATE_TYPES:
                errors["licence_type"] = "Choose the associate's registration."
            if not self.licence_number.strip():
                errors["licence_number"] = "Associates show their registration number."
            if not self.employed_by_practice:
                errors["employed_by_practice"] = (
                    "Associates are employed by the practice, and the profile says so."
                )
        elif code:
            errors["licence_type"] = "Trainees have no licence or registration yet."
        if status != self.LicenceStatus.LICENSED:
            supervisor = self.supervisor if self.supervisor_id else None
            if supervisor is None:
                errors["supervisor"] = "Trainees and associates name their supervisor."
            elif supervisor.pk == self.pk or not supervisor.has_licence_disclosure:
                errors["supervisor"] = (
                    "The supervisor must be a licensed therapist whose profile shows their "
                    "licence and number."
                )
        return errors
