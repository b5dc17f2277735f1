"""Test and demo data through factory_boy and wagtail-factories: the therapist directory and
therapist pages, published through revisions as an editor publishes them."""

import factory
from wagtail.models import Page

from kindman.factories import PublishedPageFactory, build_site, publish_page
from therapists.models import Language, Modality, Specialty, TherapistIndexPage, TherapistPage


class TherapistIndexPageFactory(PublishedPageFactory):
    class Meta:
        model = TherapistIndexPage

    title = "Our therapists"
    slug = "therapists"


def build_therapist_index(home: Page | None = None) -> TherapistIndexPage:
    """The directory (one per site), made under the home page if missing."""
    return TherapistIndexPage.objects.first() or TherapistIndexPageFactory(
        parent=home or build_site()
    )


class TherapistPageFactory(PublishedPageFactory):
    """A published therapist page; `specialties`, `languages` and `modalities` take names,
    created as needed."""

    class Meta:
        model = TherapistPage

    parent = factory.LazyFunction(build_therapist_index)
    slug = "avery-demo"
    title = factory.LazyAttribute(lambda page: page.slug.replace("-", " ").title())
    pronouns = "they/them"
    role = "Licensed Marriage and Family Therapist"
    credentials = "LMFT"
    licence_status = TherapistPage.LicenceStatus.LICENSED
    # The licence or registration each status must show to be published.
    licence_type = factory.LazyAttribute(
        lambda page: {
            TherapistPage.LicenceStatus.LICENSED: "LMFT",
            TherapistPage.LicenceStatus.ASSOCIATE: "AMFT",
        }.get(page.licence_status, "")
    )
    licence_number = "LMFT 000000 (demo)"
    employed_by_practice = factory.LazyAttribute(
        lambda page: page.licence_status == TherapistPage.LicenceStatus.ASSOCIATE
    )
    short_bio = "A demo therapist who listens closely and works relationally."

    @factory.post_generation
    def specialties(page, create, extracted, **kwargs):
        if extracted:
            page.specialties.set([taxonomy(Specialty, name) for name in extracted])

    @factory.post_generation
    def languages(page, create, extracted, **kwargs):
        if extracted:
            page.languages.set([taxonomy(Language, name) for name in extracted])

    @factory.post_generation
    def modalities(page, create, extracted, **kwargs):
        if extracted:
            page.modalities.set([taxonomy(Modality, name) for name in extracted])

    @factory.post_generation
    def publish(page, create, extracted, **kwargs):  # after the taxonomies are set
        publish_page(page, create, extracted)


def build_therapist(**fields) -> TherapistPage:
    return TherapistPageFactory(**fields)


def taxonomy(model, name: str):
    from django.utils.text import slugify

    existing = model.objects.filter(name=name).first()
    if existing is not None:
        return existing
    item, _ = model.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return item


def build_portrait(name: str, background: str = "#d8e4dc", size: int = 800, **person):
    """An original illustrated demo portrait (`kindman.demo_art.portrait`: a figure without a
    face in an arched window), stored as a Wagtail image once per name. Never a photo of a real
    person. `person` may set skin, hair, clothes and style."""
    from django.utils.text import slugify
    from wagtail.images import get_image_model

    from kindman.demo_art import portrait, save_image

    title = f"Demo portrait: {name}"
    existing = get_image_model().objects.filter(title=title).first()
    if existing is not None:
        return existing
    picture = portrait(name, background, size, **person)
    return save_image(picture, title, f"demo-portrait-{slugify(name)}.jpg")
