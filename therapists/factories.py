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
    if specialties or languages or modalities:
        therapist.save_revision().publish()
    return therapist


def taxonomy(model, name: str):
    from django.utils.text import slugify

    item, _ = model.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return item
