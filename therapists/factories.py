"""Minimal builders for tests and demo content: the therapist index and therapist pages."""

from wagtail.models import Page

from kindman.factories import build_site
from therapists.models import Language, Modality, Specialty, TherapistIndexPage, TherapistPage


def build_therapist_index(home: Page | None = None) -> TherapistIndexPage:
    index = TherapistIndexPage.objects.first()
    if index is None:
        home = home or build_site()
        index = home.add_child(
            instance=TherapistIndexPage(title="Our therapists", slug="therapists")
        )
        index.save_revision().publish()
    return index


def build_therapist(
    *, slug: str = "avery-demo", specialties=(), languages=(), modalities=(), **fields
) -> TherapistPage:
    """A published therapist page; taxonomy arguments are names, created as needed."""
    values = {
        "title": slug.replace("-", " ").title(),
        "slug": slug,
        "pronouns": "they/them",
        "role": "Licensed Marriage and Family Therapist",
        "credentials": "LMFT",
        "licence_status": TherapistPage.LicenceStatus.LICENSED,
        "licence_number": "LMFT 000000 (demo)",
        "short_bio": "A demo therapist who listens closely and works relationally.",
    }
    values.update(fields)
    therapist = build_therapist_index().add_child(instance=TherapistPage(**values))
    for field, model, names in (
        ("specialties", Specialty, specialties),
        ("languages", Language, languages),
        ("modalities", Modality, modalities),
    ):
        if names:
            getattr(therapist, field).set([taxonomy(model, name) for name in names])
    therapist.save_revision().publish()
    return therapist


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
