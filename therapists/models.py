from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from kindman.blocks import RICH_TEXT_FEATURES


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


class TherapistIndexPage(Page):
    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["kindman.HomePage"]
    subpage_types = ["therapists.TherapistPage"]
    max_count = 1


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
    licence_number = models.CharField(max_length=40, blank=True)
    supervisor = models.ForeignKey(
        "therapists.TherapistPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervisees",
        help_text="Required for trainees and associates.",
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
                FieldRowPanel([FieldPanel("licence_status"), FieldPanel("licence_number")]),
                FieldPanel("supervisor"),
            ],
            heading="Who they are",
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

    parent_page_types = ["therapists.TherapistIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "therapist"

    def clean(self):
        super().clean()
        errors = {}
        if self.photo_id and not self.photo_alt.strip():
            errors["photo_alt"] = "Describe the photo for people using screen readers."
        if self.licence_status == self.LicenceStatus.LICENSED and not self.licence_number.strip():
            errors["licence_number"] = "Licensed therapists show their licence number."
        if self.licence_status != self.LicenceStatus.LICENSED and not self.supervisor_id:
            errors["supervisor"] = "Trainees and associates name their supervisor."
        if errors:
            raise ValidationError(errors)
