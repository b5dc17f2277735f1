"""Blocks every app shares: the home page's components and the body StreamBlock used by
standard pages (and reused by blog posts). One StructBlock per visual component."""

from django.urls import NoReverseMatch, reverse
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

# Rich text offers only what the design styles; headings come from HeadingBlock (h2–h4).
RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]

BOOKING_TARGETS = [
    ("consultations:book", "Free 20-minute consultation call"),
    ("consultations:session_list", "Information sessions"),
]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section heading (h2)"), ("h3", "Subheading (h3)"), ("h4", "Minor (h4)")],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = "Heading"
        template = "kindman/blocks/heading_block.html"
        preview_value = {"text": "What healing can look like", "level": "h2"}


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)

    class Meta:
        icon = "openquote"
        label = "Quote"
        template = "kindman/blocks/quote_block.html"
        preview_value = {"quote": "You do not have to earn care.", "attribution": "A demo client"}


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        label = "Image"
        template = "kindman/blocks/captioned_image_block.html"


class CallToActionValue(blocks.StructValue):
    def url(self):
        """The target's URL, or None when the chosen page is gone or unpublished."""
        page = self.get("page")
        if page is not None:
            return page.url if page.live else None
        target = self.get("booking")
        if target:
            try:
                return reverse(target)
            except NoReverseMatch:
                return None
        return None


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    button_label = blocks.CharBlock(max_length=60)
    page = blocks.PageChooserBlock(required=False, help_text="Point at a page…")
    booking = blocks.ChoiceBlock(
        choices=BOOKING_TARGETS, required=False, help_text="…or at a booking."
    )

    class Meta:
        icon = "pick"
        label = "Call to action"
        template = "kindman/blocks/call_to_action_block.html"
        value_class = CallToActionValue
        preview_value = {
            "heading": "Talk it through with us",
            "text": "A free, no-pressure 20-minute call with our Care Coordinator.",
            "button_label": "Book a free call",
            "booking": "consultations:book",
        }

    def clean(self, value):
        result = super().clean(value)
        if bool(result.get("page")) == bool(result.get("booking")):
            raise blocks.StructBlockValidationError(
                block_errors={"page": "Choose either a page or a booking, not both or neither."}
            )
        return result


class ServiceBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=80)
    description = blocks.TextBlock()

    class Meta:
        icon = "tick"
        label = "Service"


class ServicesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    intro = blocks.TextBlock(required=False)
    services = blocks.ListBlock(ServiceBlock())

    class Meta:
        icon = "list-ul"
        label = "Services"
        template = "kindman/blocks/services_block.html"
        preview_value = {
            "heading": "How we help",
            "services": [{"title": "Individual therapy", "description": "One-to-one care."}],
        }


class SpecialtiesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    specialties = blocks.ListBlock(blocks.CharBlock(max_length=80))

    class Meta:
        icon = "tag"
        label = "Specialties"
        template = "kindman/blocks/specialties_block.html"
        preview_value = {"heading": "Our specialties", "specialties": ["Grief and loss", "Trauma"]}


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow")
    quote = QuoteBlock()
    image = CaptionedImageBlock()
    call_to_action = CallToActionBlock()


class HomeStreamBlock(blocks.StreamBlock):
    services = ServicesBlock()
    specialties = SpecialtiesBlock()
    call_to_action = CallToActionBlock()
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow")
