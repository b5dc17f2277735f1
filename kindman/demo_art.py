"""Original demo pictures, drawn in code: landscapes for the home page, abstract pictures for
posts and illustrated portraits for the demo therapists. All share the site's palette, so the
demo looks deliberate; editors replace them with photographs in the CMS.

Each function returns a Pillow image; `save_image` stores one as a Wagtail image."""

import math
import random
from io import BytesIO

from PIL import Image, ImageDraw, ImageFilter

PINE = "#1f4d3f"
PINE_DEEP = "#143a2f"
SAGE = "#7fa68d"
SAGE_LIGHT = "#c9dccf"
CLAY = "#b4532a"
CLAY_DEEP = "#8a3620"
MARIGOLD = "#e3a63f"
SAND = "#f3eadb"
PAPER = "#fbf7f0"
ROSE = "#d99a8b"
PLUM = "#5b4a6b"
TEAL = "#3f7f86"

# Drawn at twice the size and scaled down, for smooth edges.
SUPERSAMPLE = 2


def rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def mix(a: str, b: str, amount: float) -> tuple[int, int, int]:
    ca, cb = rgb(a), rgb(b)
    return tuple(round(x + (y - x) * amount) for x, y in zip(ca, cb, strict=True))


def _canvas(size: tuple[int, int], top: str, bottom: str) -> Image.Image:
    """A vertical gradient from `top` to `bottom`, at the supersampled size."""
    width, height = (value * SUPERSAMPLE for value in size)
    strip = Image.new("RGB", (1, height))
    for y in range(height):
        strip.putpixel((0, y), mix(top, bottom, y / max(height - 1, 1)))
    return strip.resize((width, height))


def _finish(picture: Image.Image, size: tuple[int, int]) -> Image.Image:
    return picture.resize(size, Image.Resampling.LANCZOS)


def _hill(draw, width, height, base, amplitude, phase, wavelength, colour):
    """A soft ridge across the picture: a sum of two sine waves, filled to the bottom."""
    points = []
    for step in range(0, 101):
        x = width * step / 100
        y = base + amplitude * (
            math.sin(phase + x / wavelength) * 0.7
            + math.sin(phase * 1.7 + x / (wavelength * 0.43)) * 0.3
        )
        points.append((x, y))
    draw.polygon([*points, (width, height), (0, height)], fill=colour)


def landscape(size=(960, 1120), seed: int = 1) -> Image.Image:
    """Hills at sunrise in Highland Park's colours: the logo's window, opened wide."""
    rng = random.Random(seed)  # noqa: S311 (art, not security)
    picture = _canvas(size, "#f6dcc0", "#f3eadb")
    width, height = picture.size
    draw = ImageDraw.Draw(picture)
    sun = (width * rng.uniform(0.55, 0.7), height * 0.36, width * 0.17)
    glow = Image.new("L", picture.size, 0)
    ImageDraw.Draw(glow).ellipse(
        (
            sun[0] - sun[2] * 2.4,
            sun[1] - sun[2] * 2.4,
            sun[0] + sun[2] * 2.4,
            sun[1] + sun[2] * 2.4,
        ),
        fill=110,
    )
    glow = glow.filter(ImageFilter.GaussianBlur(width / 10))
    picture.paste(Image.new("RGB", picture.size, rgb("#f7c98a")), (0, 0), glow)
    draw.ellipse(
        (sun[0] - sun[2], sun[1] - sun[2], sun[0] + sun[2], sun[1] + sun[2]), fill=MARIGOLD
    )
    layers = [
        (0.5, "#e9b98f", 0.05),
        (0.58, "#c98a6a", 0.06),
        (0.66, SAGE, 0.05),
        (0.76, "#4f7d68", 0.06),
        (0.86, PINE, 0.05),
        (0.95, PINE_DEEP, 0.03),
    ]
    for base, colour, amplitude in layers:
        _hill(
            draw,
            width,
            height,
            height * base,
            height * amplitude,
            rng.uniform(0, math.tau),
            width * rng.uniform(0.16, 0.24),
            colour,
        )
    return _finish(picture, size)


def bokeh(size=(1600, 900), seed: int = 1) -> Image.Image:
    """Soft circles of light on a dusk sky, like a crowd seen through stadium lights."""
    rng = random.Random(seed)  # noqa: S311
    picture = _canvas(size, "#2a3d4a", "#6b4a3a")
    width, height = picture.size
    for blur, count, alpha in ((width / 40, 10, 120), (width / 120, 14, 170)):
        layer = Image.new("RGBA", picture.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        for _ in range(count):
            x, y = rng.uniform(0, width), rng.uniform(0, height * 0.8)
            radius = rng.uniform(height * 0.04, height * 0.14)
            colour = rgb(rng.choice([MARIGOLD, "#f2c27b", SAGE_LIGHT, ROSE, CLAY]))
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*colour, alpha))
        picture.paste(
            layer.filter(ImageFilter.GaussianBlur(blur)),
            (0, 0),
            layer.filter(ImageFilter.GaussianBlur(blur)),
        )
    draw = ImageDraw.Draw(picture)
    _hill(draw, width, height, height * 0.86, height * 0.03, 1.3, width * 0.3, PINE_DEEP)
    return _finish(picture, size)


def two_shapes(size=(1600, 900), seed: int = 1) -> Image.Image:
    """Two soft arches side by side, rose and green, leaning gently towards each other."""
    rng = random.Random(seed)  # noqa: S311
    picture = _canvas(size, "#f4e6da", "#efd9c9")
    width, height = picture.size
    layer = Image.new("RGBA", picture.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    arch_width = width * 0.26
    for index, colour in enumerate((ROSE, PINE)):
        left = width * (0.27 + index * 0.2) + rng.uniform(-8, 8)
        top = height * (0.22 + index * 0.06)
        draw.rounded_rectangle(
            (left, top, left + arch_width, height * 1.05),
            radius=arch_width / 2,
            fill=(*rgb(colour), 215 if index else 235),
        )
    picture.paste(layer, (0, 0), layer)
    draw = ImageDraw.Draw(picture)
    draw.ellipse(
        (width * 0.72, height * 0.12, width * 0.8, height * 0.12 + width * 0.08), fill=MARIGOLD
    )
    return _finish(picture, size)


def rings(size=(1600, 900), seed: int = 1) -> Image.Image:
    """Two interlocking rings, teal and amber, on cream: two people in conversation."""
    rng = random.Random(seed)  # noqa: S311
    picture = _canvas(size, PAPER, SAND)
    width, height = picture.size
    draw = ImageDraw.Draw(picture)
    radius = height * 0.32
    thickness = int(height * 0.075)
    centre_y = height * 0.52 + rng.uniform(-10, 10)
    for index, colour in enumerate((TEAL, MARIGOLD)):
        centre_x = width / 2 + (index - 0.5) * radius * 1.1
        draw.ellipse(
            (centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius),
            outline=colour,
            width=thickness,
        )
    _hill(draw, width, height, height * 0.9, height * 0.02, 2.1, width * 0.35, SAGE_LIGHT)
    return _finish(picture, size)


ART = {"landscape": landscape, "bokeh": bokeh, "two_shapes": two_shapes, "rings": rings}

# A portrait's person: skin, hair and clothing tones, and a hair style.
SKIN = ["#8d5a3b", "#c68b63", "#e2b08e", "#6b4530", "#f0c9a8", "#a8704c"]
HAIR = ["#2b1d16", "#4a2f22", "#1c1a1a", "#7a4b2a", "#3b2a3f"]
CLOTHES = [PINE, CLAY, PLUM, TEAL, "#6b4a2b"]
STYLES = ["short", "long", "curls", "bun"]


def portrait(
    name: str,
    background: str = SAGE_LIGHT,
    size: int = 800,
    *,
    skin: str | None = None,
    hair: str | None = None,
    clothes: str | None = None,
    style: str | None = None,
) -> Image.Image:
    """An illustrated head and shoulders in an arched window, without a face: clearly a
    drawing, never a likeness of anyone. The same name always gives the same person."""
    rng = random.Random(name)  # noqa: S311
    skin = skin or rng.choice(SKIN)
    hair = hair or rng.choice(HAIR)
    clothes = clothes or rng.choice(CLOTHES)
    style = style or rng.choice(STYLES)
    s = size * SUPERSAMPLE
    canvas = Image.new("RGB", (s, s), background)
    draw = ImageDraw.Draw(canvas)
    # the window and the sun behind the person
    draw.rounded_rectangle(
        (s * 0.14, s * 0.08, s * 0.86, s * 1.3), radius=s * 0.36, fill=mix(background, PAPER, 0.6)
    )
    draw.ellipse((s * 0.6, s * 0.15, s * 0.77, s * 0.32), fill=MARIGOLD)
    cx, cy, r = s * 0.5, s * 0.44, s * 0.125  # the head
    shade = mix(skin, "#000000", 0.14)
    if style in ("long", "curls"):
        wide = 1.75 if style == "curls" else 1.3
        draw.rounded_rectangle(
            (
                cx - r * wide,
                cy - r * 1.15,
                cx + r * wide,
                cy + r * (2.0 if style == "long" else 1.2),
            ),
            radius=r * 1.1,
            fill=hair,
        )
    # shoulders, a collar and the neck
    draw.rounded_rectangle((s * 0.17, s * 0.72, s * 0.83, s * 1.4), radius=s * 0.22, fill=clothes)
    draw.rectangle((cx - r * 0.38, cy + r * 0.5, cx + r * 0.38, s * 0.76), fill=shade)
    draw.polygon(
        [(cx - r * 0.75, s * 0.725), (cx, s * 0.84), (cx + r * 0.75, s * 0.725)], fill=shade
    )
    draw.ellipse((cx - r, cy - r * 1.2, cx + r, cy + r * 1.2), fill=skin)
    draw.ellipse((cx - r * 1.08, cy - r * 0.1, cx - r * 0.86, cy + r * 0.3), fill=shade)  # ears
    draw.ellipse((cx + r * 0.86, cy - r * 0.1, cx + r * 1.08, cy + r * 0.3), fill=shade)
    if style == "curls":
        for angle in range(-205, 26, 23):
            x = cx + math.cos(math.radians(angle)) * r * 1.05
            y = cy - r * 0.2 + math.sin(math.radians(angle)) * r * 1.08
            draw.ellipse((x - r * 0.4, y - r * 0.4, x + r * 0.4, y + r * 0.4), fill=hair)
    else:
        # hair over the top of the head, a side parting swept across
        draw.chord(
            (cx - r * 1.06, cy - r * 1.32, cx + r * 1.06, cy + r * 0.62), 180, 360, fill=hair
        )
        draw.polygon(
            [(cx - r * 1.02, cy - r * 0.2), (cx + r * 0.2, cy - r * 1.15), (cx + r * 1.04, cy - r * 0.05),
             (cx + r * 0.3, cy - r * 0.55)],
            fill=hair,
        )  # fmt: skip
        if style == "bun":
            draw.ellipse((cx - r * 0.48, cy - r * 1.95, cx + r * 0.48, cy - r * 1.0), fill=hair)
    return canvas.resize((size, size), Image.Resampling.LANCZOS)


def save_image(picture: Image.Image, title: str, filename: str):
    """Store a picture as a Wagtail image (in the root collection) and return it. Only its
    renditions are ever served, so the original is kept as a good JPEG."""
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    # Databases flushed between browser tests lose the root collection Wagtail's migration made.
    collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    buffer = BytesIO()
    picture.convert("RGB").save(buffer, format="JPEG", quality=90)
    return get_image_model().objects.create(
        collection=collection, title=title, file=ImageFile(buffer, name=filename)
    )
