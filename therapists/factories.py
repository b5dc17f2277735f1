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
    licence_number = "LMFT 000000 (demo)"
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
