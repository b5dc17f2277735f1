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
    status = values["licence_status"]
    if status == TherapistPage.LicenceStatus.ASSOCIATE:
        values.setdefault("licence_type", "AMFT")
        values.setdefault("employed_by_practice", True)
    elif status == TherapistPage.LicenceStatus.LICENSED:
        values.setdefault("licence_type", "LMFT")
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


def build_portrait(
    name: str,
    colours: tuple[str, str, str] = ("#c9dccf", "#2f5d50", "#e8b9a0"),
    size: int = 800,
):
    """An original, abstract demo portrait: soft overlapping shapes and the person's initials,
    stored as a Wagtail image. Never a photo of a real person."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from django.utils.text import slugify
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFilter, ImageFont
    from wagtail.images import get_image_model

    title = f"Demo portrait: {name}"
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing

    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:  # a flushed database (browser tests) has none
        Collection.add_root(name="Root")

    background, ink, accent = colours
    canvas = PILImage.new("RGB", (size, size), background)
    shapes = PILImage.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(shapes)
    scale = size / 800  # the shapes are drawn for 800 pixels square
    draw.ellipse(_scaled((-160, 380, 520, 1060), scale), fill=(*_rgb(accent), 150))
    draw.ellipse(_scaled((360, -140, 980, 480), scale), fill=(*_rgb(ink), 90))
    draw.rounded_rectangle(
        _scaled((180, 200, 640, 660), scale), radius=230 * scale, fill=(255, 255, 255, 110)
    )
    shapes = shapes.filter(ImageFilter.GaussianBlur(18 * scale))
    canvas.paste(shapes, (0, 0), shapes)
    initials = "".join(part[0] for part in name.replace("-", " ").split()[:2]).upper()
    font = ImageFont.load_default(size=220)
    ImageDraw.Draw(canvas).text(
        (size / 2, size / 2 + 10), initials, fill=ink, font=font, anchor="mm"
    )

    buffer = BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    image = image_model(title=title)
    image.file = ImageFile(buffer, name=f"demo-portrait-{slugify(name)}.png")
    image.save()
    return image


def _scaled(box: tuple[int, ...], scale: float) -> tuple[float, ...]:
    return tuple(value * scale for value in box)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    hex_colour = hex_colour.lstrip("#")
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
