"""Blocks every app shares: the home page's components and the body StreamBlock used by
standard pages (and reused by blog posts). One StructBlock per visual component; those that
show live content (therapists, posts, sessions) fetch it in their `get_context`."""

from django.urls import NoReverseMatch, reverse
from wagtail import blocks
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from kindman.languages import in_reading_language

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


def target_url(page, booking: str | None):
    """The URL of a link editors point at a page or at a booking, or None when the page is gone
    or unpublished (a chooser's value may outlive its page)."""
    if page is not None:
        return page.url if page.live else None
    if booking:
        try:
            return reverse(booking)
        except NoReverseMatch:
            return None
    return None


class CallToActionValue(blocks.StructValue):
    def url(self):
        """The target's URL, or None when the chosen page is gone or unpublished."""
        return target_url(self.get("page"), self.get("booking"))


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


class ActionValue(blocks.StructValue):
    def url(self):
        return target_url(self.get("page"), self.get("booking"))


class ActionBlock(blocks.StructBlock):
    """An optional link at the foot of a section: a label and a page or a booking."""

    label = blocks.CharBlock(max_length=60, required=False)
    page = blocks.PageChooserBlock(required=False)
    booking = blocks.ChoiceBlock(choices=BOOKING_TARGETS, required=False)

    class Meta:
        icon = "link"
        label = "Link"
        value_class = ActionValue
        form_classname = "struct-block action-block"

    def clean(self, value):
        result = super().clean(value)
        if result.get("label") and bool(result.get("page")) == bool(result.get("booking")):
            raise blocks.StructBlockValidationError(
                block_errors={"page": "Choose either a page or a booking for the link."}
            )
        return result


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=60)
    text = blocks.TextBlock(max_length=300)

    class Meta:
        icon = "order"
        label = "Step"


class HowItWorksBlock(blocks.StructBlock):
    """Numbered steps from first contact to first session."""

    heading = blocks.CharBlock(max_length=120)
    intro = blocks.TextBlock(required=False, max_length=300)
    steps = blocks.ListBlock(StepBlock(), min_num=2, max_num=4)
    action = ActionBlock(required=False)

    class Meta:
        icon = "list-ol"
        label = "How it works"
        template = "kindman/blocks/how_it_works_block.html"
        preview_value = {
            "heading": "How it works",
            "steps": [
                {"title": "A free call", "text": "Twenty minutes with our Care Coordinator."},
                {"title": "A match", "text": "We suggest the therapist who fits."},
                {"title": "Your first session", "text": "In Highland Park or online."},
            ],
        }


class TherapistsBlock(blocks.StructBlock):
    """Portraits of the therapists, with who is taking new clients."""

    heading = blocks.CharBlock(max_length=120)
    intro = blocks.TextBlock(required=False, max_length=300)
    therapists = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="therapists.TherapistPage"),
        required=False,
        help_text="Leave empty to show the therapists accepting new clients first.",
    )
    count = blocks.IntegerBlock(
        default=4, min_value=1, max_value=8, help_text="How many to show at most."
    )

    class Meta:
        icon = "group"
        label = "Meet the therapists"
        template = "kindman/blocks/therapists_block.html"
        preview_value = {"heading": "Meet our therapists", "count": 4}

    def get_context(self, value, parent_context=None):
        from therapists.models import TherapistPage

        context = super().get_context(value, parent_context=parent_context)
        chosen = [page.translation_key for page in value["therapists"] if page is not None]
        context["therapists"] = TherapistPage.objects.for_home(chosen, value["count"])
        return context


class SpecialtiesBlock(blocks.StructBlock):
    """Specialties, each a link to the therapist directory filtered by it."""

    heading = blocks.CharBlock(max_length=120)
    intro = blocks.TextBlock(required=False, max_length=300)
    specialties = blocks.ListBlock(SnippetChooserBlock("therapists.Specialty"))

    class Meta:
        icon = "tag"
        label = "Specialties"
        template = "kindman/blocks/specialties_block.html"
        preview_value = {"heading": "What we specialise in", "specialties": []}


class FeeLineBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=80)
    amount = blocks.CharBlock(max_length=40, help_text='e.g. "$190" or "from $40"')

    class Meta:
        icon = "pick"
        label = "Fee"


class FeesValue(blocks.StructValue):
    def url(self):
        return target_url(self.get("page"), None)


class FeesBlock(blocks.StructBlock):
    """A few fees at a glance and a link to the page that explains them all."""

    heading = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, required=False)
    fees = blocks.ListBlock(FeeLineBlock(), required=False, max_num=4)
    page = blocks.PageChooserBlock(required=False, help_text="The page with every fee.")
    link_label = blocks.CharBlock(max_length=60, default="Fees, insurance and the sliding scale")

    class Meta:
        icon = "doc-full"
        label = "Fees at a glance"
        template = "kindman/blocks/fees_block.html"
        value_class = FeesValue
        preview_value = {
            "heading": "Fees at a glance",
            "fees": [{"label": "Individual session (50 minutes)", "amount": "$120–$190"}],
        }


class LatestPostsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="From our blog")
    count = blocks.IntegerBlock(default=3, min_value=1, max_value=6)

    class Meta:
        icon = "doc-full-inverse"
        label = "Latest posts"
        template = "kindman/blocks/latest_posts_block.html"
        preview_value = {"heading": "From our blog", "count": 3}

    def get_context(self, value, parent_context=None):
        from blog.models import BlogPage

        context = super().get_context(value, parent_context=parent_context)
        posts = in_reading_language(BlogPage.objects.live().public())
        context["posts"] = posts.for_home()[: value["count"]]
        return context


class UpcomingSessionsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Free information sessions")
    intro = blocks.TextBlock(required=False, max_length=300)
    count = blocks.IntegerBlock(default=3, min_value=1, max_value=6)

    class Meta:
        icon = "date"
        label = "Upcoming information sessions"
        template = "kindman/blocks/upcoming_sessions_block.html"
        preview_value = {"heading": "Free information sessions", "count": 3}

    def get_context(self, value, parent_context=None):
        from consultations.models import InfoSession

        context = super().get_context(value, parent_context=parent_context)
        context["sessions"] = InfoSession.objects.upcoming().order_by("starts_at", "pk")[
            : value["count"]
        ]
        return context


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow")
    quote = QuoteBlock()
    image = CaptionedImageBlock()
    call_to_action = CallToActionBlock()


class HomeStreamBlock(blocks.StreamBlock):
    how_it_works = HowItWorksBlock()
    therapists = TherapistsBlock()
    specialties = SpecialtiesBlock()
    fees = FeesBlock()
    latest_posts = LatestPostsBlock()
    sessions = UpcomingSessionsBlock()
    services = ServicesBlock()
    call_to_action = CallToActionBlock()
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow")


def licence_type_choices():
    # Imported when the admin form is built: therapists' models import this module.
    from therapists.models import LICENCE_TYPES

    return LICENCE_TYPES


class LicensingBoardBlock(blocks.StructBlock):
    """A state board's consumer notice, shown in the footer while a published profile holds
    a licence or registration the board regulates."""

    name = blocks.CharBlock(max_length=120, label="Board")
    regulates = blocks.MultipleChoiceBlock(
        choices=licence_type_choices,
        label="Licences and registrations it regulates",
        help_text="The footer shows this notice while a published profile holds one of these.",
    )
    notice = blocks.TextBlock(max_length=600, help_text="Followed by the contact details.")
    phone = blocks.CharBlock(max_length=30)
    website = blocks.URLBlock()
    address = blocks.CharBlock(max_length=200)

    class Meta:
        icon = "info-circle"
        label = "Licensing board"


class LicensingBoardsBlock(blocks.StreamBlock):
    board = LicensingBoardBlock()
