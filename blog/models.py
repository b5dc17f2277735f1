import hashlib
import re
import secrets
from datetime import timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.db import models
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, PageQuerySet
from wagtail.search import index

from kindman.blocks import RICH_TEXT_FEATURES, BodyStreamBlock
from kindman.languages import each_in_reading_language
from kindman.models import EditorsPublishHere
from therapists.chooser import therapist_chooser_viewset

from .admin_forms import BlogPageForm

# The hero rendition for og:image and JSON-LD: one of those blog/blog_page.html shows.
SHARE_SPEC = "format-jpeg|width-1200"

WORDS_PER_MINUTE = 230
POSTS_PER_PAGE = 9


class BlogIndexPage(EditorsPublishHere, Page):
    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["kindman.HomePage"]
    subpage_types = ["blog.BlogPage"]
    max_count = 1

    class Meta:
        verbose_name = "blog index"

    def posts(self) -> "BlogPageQuerySet":
        return BlogPage.objects.live().public().child_of(self)

    def get_context(self, request, *args, **kwargs):
        from blog.listing import PostListing

        context = super().get_context(request, *args, **kwargs)
        context["listing"] = PostListing(self, request.GET)
        return context

    def get_sitemap_urls(self, request=None):
        # The index changes whenever a post is published.
        urls = super().get_sitemap_urls(request)
        newest = self.posts().aggregate(newest=models.Max("last_published_at"))["newest"]
        for url in urls:
            url["lastmod"] = max(filter(None, [url.get("lastmod"), newest]), default=None)
        return urls


class BlogPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "blog.BlogPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class BlogPageQuerySet(PageQuerySet):
    def newest_first(self):
        return self.order_by("-date", "-pk")

    def with_hero(self):
        # Renditions come from Wagtail's renditions cache (settings.CACHES).
        return self.select_related("hero_image")

    def with_tags(self):
        return self.prefetch_related(tags_with_names())

    def with_authors(self):
        return self.prefetch_related(live_authors())

    def for_listing(self):
        """Cards on the index: hero thumbnail, authors' names, tags."""
        return self.newest_first().with_hero().with_tags().with_authors()

    def for_home(self):
        """Cards on the home page: the newest posts with their hero thumbnails."""
        return self.newest_first().with_hero()

    def tagged(self, slug: str):
        return self.filter(tagged_items__tag__slug=slug)

    def by_specialty(self, slug: str):
        # A post belongs to the specialties of its authors: nothing extra for editors to keep up.
        return self.filter(authors__therapist__specialties__slug=slug).distinct()

    def by_author(self, therapist):
        """Posts naming the therapist's profile in any language (a translated post keeps the
        author its original names)."""
        return self.filter(authors__therapist__translation_key=therapist.translation_key)


def tags_with_names() -> Prefetch:
    return Prefetch("tagged_items", queryset=BlogPageTag.objects.select_related("tag"))


def live_authors() -> Prefetch:
    """Authors whose profile is published, with their photos for the author cards."""
    authors = BlogPageAuthor.objects.filter(therapist__live=True).select_related("therapist__photo")
    return Prefetch("authors", queryset=authors)


class BlogPageManager(PageManager.from_queryset(BlogPageQuerySet)):
    pass


def starts_with_a_paragraph() -> list:
    """A new post's body: one paragraph, ready to type into."""
    return [("paragraph", "")]


class BlogPage(Page):
    summary = models.TextField(
        max_length=300, help_text="One or two sentences for cards, feeds and search engines."
    )
    date = models.DateField("publish date", default=timezone.localdate)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_alt = models.CharField(
        "hero image alt text",
        max_length=250,
        blank=True,
        help_text="Leave empty to use the image's own alt text, given when it was uploaded.",
    )
    body = StreamField(BodyStreamBlock(), default=starts_with_a_paragraph)
    tags = ClusterTaggableManager(through=BlogPageTag, blank=True)

    objects = BlogPageManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("date"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("hero_image"), FieldPanel("hero_alt")])],
            heading="Hero image",
        ),
        InlinePanel("authors", heading="Authors", label="Author", min_num=1),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields(
            "authors", [index.RelatedFields("therapist", [index.SearchField("title")])]
        ),
        index.FilterField("date"),
    ]

    base_form_class = BlogPageForm  # publishing needs an author and the hero's alt text

    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "blog post"

    @property
    def tag_list(self) -> list:
        return [item.tag for item in self.tagged_items.all()]

    @property
    def author_list(self) -> list:
        return [author.therapist for author in self.authors.all()]

    @cached_property
    def author_profiles(self) -> list:
        """The authors as their profiles in the language being read, for the post's links."""
        from therapists.models import TherapistPage

        profiles = TherapistPage.objects.live().select_related("photo")
        return each_in_reading_language(self.author_list, profiles)

    @property
    def word_count(self) -> int:
        return sum(len(text.split()) for text in _prose(list(self.body.raw_data)))

    @property
    def reading_time(self) -> int:
        """Minutes, at an unhurried reading pace; never less than one."""
        return max(1, round(self.word_count / WORDS_PER_MINUTE))

    def neighbours(self, readable=None) -> tuple["BlogPage | None", "BlogPage | None"]:
        """The previous (older) and next (newer) of the `readable` posts (by default the live
        public ones), in one query."""
        readable = BlogPage.objects.live().public() if readable is None else readable
        # A new post being previewed has no pk yet: it sorts last on its day.
        key = (self.date, self.pk or 2**62)
        siblings = readable.exclude(pk=key[1])
        older = siblings.filter(Q(date__lt=key[0]) | Q(date=key[0], pk__lt=key[1]))
        newer = siblings.filter(Q(date__gt=key[0]) | Q(date=key[0], pk__gt=key[1]))
        fields = ("pk", "title", "url_path", "date")
        found = list(
            older.order_by("-date", "-pk")
            .only(*fields)[:1]
            .union(newer.order_by("date", "pk").only(*fields)[:1], all=True)
        )
        previous = next((p for p in found if (p.date, p.pk) < key), None)
        following = next((p for p in found if (p.date, p.pk) > key), None)
        return previous, following

    def related_posts(self, readable=None, limit: int = 3):
        """The `readable` posts (by default the live public ones) sharing the most tags with
        this one, newest first among equals."""
        readable = BlogPage.objects.live().public() if readable is None else readable
        tag_ids = [tag.pk for tag in self.tag_list if tag.pk]
        return (
            readable.exclude(pk=self.pk)
            .annotate(shared=Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids)))
            .order_by("-shared", "-date", "-pk")
            .select_related("hero_image")[:limit]
        )

    def share_image(self):
        """The hero rendition used for OpenGraph and JSON-LD, or None."""
        if not self.hero_image:
            return None
        return self.hero_image.get_renditions(SHARE_SPEC)[SHARE_SPEC]

    def get_context(self, request, *args, **kwargs):
        from blog.seo import post_structured_data

        context = super().get_context(request, *args, **kwargs)
        if self.pk:  # a new post being previewed holds its tags and authors in memory
            # Wagtail routes to the bare post: its tags and authors come with one query each.
            prefetch_related_objects([self], tags_with_names(), live_authors())
        # Live public posts in this post's language, with the view restrictions read once for
        # both lookups.
        readable = BlogPage.objects.live().public().filter(locale_id=self.locale_id)
        previous, following = self.neighbours(readable)
        related = list(self.related_posts(readable))
        share = self.share_image()
        share_url = urljoin(self.get_full_url(request), share.url) if share else None
        url = self.get_url(request) or ""
        context.update(
            blog_index_url=url[: url.rstrip("/").rfind("/") + 1],
            previous_post=previous,
            next_post=following,
            related_posts=related,
            share_image=share,
            share_image_url=share_url,
            structured_data=post_structured_data(self, request, share_url),
        )
        return context


# Keys of raw block values that hold settings rather than prose read by people.
NOT_PROSE = {"level", "booking", "page", "image", "decorative", "alt_text", "id", "type"}


def _prose(value) -> list[str]:
    if isinstance(value, str):
        return [strip_tags(re.sub(r"<", " <", value))]
    if isinstance(value, dict):
        if "type" in value and "value" in value:
            return _prose(value["value"])
        return [
            text for key, item in value.items() if key not in NOT_PROSE for text in _prose(item)
        ]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _prose(item)]
    return []


class BlogPageAuthor(Orderable):
    page = ParentalKey(BlogPage, on_delete=models.CASCADE, related_name="authors")
    therapist = models.ForeignKey(
        "therapists.TherapistPage", on_delete=models.CASCADE, related_name="+"
    )

    panels = [
        # Drafts may be saved before the author is chosen (see BlogPageForm).
        FieldPanel(
            "therapist",
            widget=therapist_chooser_viewset.widget_class,
            required_on_save=False,
        )
    ]

    class Meta(Orderable.Meta):
        verbose_name = "author"


# --- Newsletter --------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def with_email(self, email: str):
        return self.filter(email__iexact=email.strip())

    def stale(self):
        """Never confirmed, or unsubscribed, for longer than we keep such addresses."""
        cutoff = timezone.now() - Subscriber.KEEP_INACTIVE_FOR
        return self.filter(
            Q(status=Subscriber.Status.PENDING, created_at__lt=cutoff)
            | Q(status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at__lt=cutoff)
        )

    def due_confirmation_email(self, now):
        """Pending subscribers not sent a confirmation email within the cooling-off period."""
        cooled_off = now - settings.NEWSLETTER_CONFIRMATION_COOLOFF
        return self.filter(status=Subscriber.Status.PENDING).filter(
            Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lte=cooled_off)
        )

    def awaiting_confirmation(self, token: str):
        """The pending subscriber a confirmation token belongs to, if it is still valid."""
        return self.filter(
            status=Subscriber.Status.PENDING,
            confirmation_token_hash=token_hash(token),
            confirmation_sent_at__gte=timezone.now() - Subscriber.CONFIRMATION_VALID_FOR,
        )


class Subscriber(models.Model):
    """A newsletter reader. Seen only by administrators and staff given the view permission."""

    CONFIRMATION_VALID_FOR = timedelta(days=7)
    KEEP_INACTIVE_FOR = timedelta(days=30)  # see purge_newsletter_subscribers

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    email = models.EmailField(max_length=254)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text="The language they signed up in: their emails are written in it.",
    )
    # Only a hash of the emailed confirmation token is kept: the database alone cannot confirm.
    confirmation_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Stable, so every email can carry a working unsubscribe link.
    unsubscribe_token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="blog_subscriber_unique_email"),
        ]
        indexes = [models.Index(fields=["confirmation_token_hash"])]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        if not self.unsubscribe_token:
            self.unsubscribe_token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    def claim_confirmation_email(self) -> bool:
        """True for the one sign-up in a cooling-off period that may email this address. One
        conditional UPDATE: a concurrent claim, from any app server, waits for this row and then
        no longer matches."""
        now = timezone.now()
        claimed = (
            Subscriber.objects.filter(pk=self.pk)
            .due_confirmation_email(now)
            .update(confirmation_sent_at=now)
        )
        return claimed == 1

    def new_confirmation_token(self) -> str:
        """A fresh token for the confirmation email; only its hash is stored."""
        token = secrets.token_urlsafe(32)
        self.confirmation_token_hash = token_hash(token)
        self.confirmation_sent_at = timezone.now()
        self.save(update_fields=["confirmation_token_hash", "confirmation_sent_at"])
        return token

    def confirm(self) -> None:
        self.status = self.Status.CONFIRMED
        self.confirmed_at = timezone.now()
        self.confirmation_token_hash = ""
        self.save(update_fields=["status", "confirmed_at", "confirmation_token_hash"])

    def unsubscribe(self) -> None:
        self.status = self.Status.UNSUBSCRIBED
        self.unsubscribed_at = timezone.now()
        self.confirmation_token_hash = ""
        self.save(update_fields=["status", "unsubscribed_at", "confirmation_token_hash"])
