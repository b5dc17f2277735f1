import logging
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from wagtail.models import Locale, Page

from kindman.origin import page_public_url, public_url
from kindman.outage import keeps_answers
from kindman.spam import rate_limited
from therapists.models import TherapistPage

from .forms import SubscribeForm
from .models import BlogIndexPage, BlogPage, Subscriber

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


class PostFeed(Feed):
    feed_type = Atom1Feed
    description_template = None

    def get_object(self, request, *args, **kwargs):
        index = BlogIndexPage.objects.live().first()
        if index is None:
            raise Http404("No blog yet.")
        self.request = request
        return index

    def title(self, index):
        return index.title

    # Absolute URLs from the public origin: otherwise Django builds them from the request's
    # Host, and the feed's atom:id would change with it (RFC 4287 wants it permanent).
    def link(self, index):
        return page_public_url(index, self.request)

    def feed_url(self, index):
        return public_url(reverse("blog:feed"))

    def subtitle(self, index):
        return "New posts from the therapists of Kindman & Co."

    def items(self, index):
        return index.posts().newest_first().with_authors().with_tags()[:20]

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return post.summary

    def item_link(self, post):
        return page_public_url(post, self.request)

    def item_pubdate(self, post):
        return datetime.combine(post.date, time(9, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))

    def item_updateddate(self, post):
        return post.last_published_at

    def item_author_name(self, post):
        return " and ".join(therapist.title for therapist in post.author_list) or None

    def item_categories(self, post):
        return [tag.name for tag in post.tag_list]


post_feed = require_safe(PostFeed())


@require_safe
def search(request):
    """Posts and therapist profiles. Any query string is safe: it is trimmed, never parsed."""
    # PostgreSQL refuses NUL characters in text.
    query = " ".join(request.GET.get("q", "").replace("\x00", "").split())[:MAX_QUERY_LENGTH]
    results = None
    if query:
        # Each match comes with its post or profile joined in, so no query per page type.
        pages = (
            Page.objects.live()
            .public()
            .filter(locale=Locale.get_active())  # one version of each page: the reader's
            .type(BlogPage, TherapistPage)
            .select_related("blogpage", "therapistpage")
        )
        results = Paginator(pages.search(query), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        results.object_list = [_result(page) for page in results]
    return render(request, "blog/search.html", {"query": query, "results": results})


def _result(page) -> dict:
    if hasattr(page, "blogpage"):
        return {"page": page.blogpage, "kind": _("Blog post"), "summary": page.blogpage.summary}
    therapist = page.therapistpage
    return {"page": therapist, "kind": _("Therapist"), "summary": therapist.short_bio}


# --- Newsletter: forms on their own uncached pages; the reading pages stay cookie-free ---------


@keeps_answers(SubscribeForm)
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def newsletter(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST":
        if rate_limited(request, "newsletter-subscribe"):
            return _paused(request, form)
        if form.is_spam():
            # Answered like a real sign-up, so a bot learns nothing from it.
            logger.info("newsletter form refused: honeypot filled")
            return redirect("blog:newsletter_check_inbox")
        if form.is_valid():
            form.subscribe()
            return redirect("blog:newsletter_check_inbox")
    return render(request, "blog/newsletter/subscribe.html", {"form": form})


def _paused(request, form):
    """The shared 429 page cannot show the typed address, so the form comes back with it."""
    response = render(
        request, "blog/newsletter/subscribe.html", {"form": form, "paused": True}, status=429
    )
    response["Retry-After"] = str(settings.CONSULTATION_RATE_LIMIT[1])
    return response


@require_safe
def newsletter_check_inbox(request):
    minutes = settings.NEWSLETTER_CONFIRMATION_COOLOFF.total_seconds() // 60
    return render(request, "blog/newsletter/check_inbox.html", {"cooloff_minutes": int(minutes)})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def newsletter_confirm(request, token):
    # GET only shows a button: mail scanners follow links, people press buttons.
    subscriber = Subscriber.objects.awaiting_confirmation(token).first()
    if subscriber is None:
        return render(request, "blog/newsletter/link_expired.html", status=404)
    if request.method == "POST":
        subscriber.confirm()
        return redirect("blog:newsletter_confirmed")
    return render(request, "blog/newsletter/confirm.html")


@require_safe
def newsletter_confirmed(request):
    return render(request, "blog/newsletter/confirmed.html")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def newsletter_unsubscribe(request, token):
    subscriber = Subscriber.objects.filter(unsubscribe_token=token).first()
    if subscriber is None:
        return render(request, "blog/newsletter/link_expired.html", status=404)
    if request.method == "POST":
        subscriber.unsubscribe()
        return redirect("blog:newsletter_unsubscribed")
    return render(request, "blog/newsletter/unsubscribe.html", {"subscriber": subscriber})


@require_safe
def newsletter_unsubscribed(request):
    return render(
        request, "blog/newsletter/unsubscribed.html", {"subscribe_url": reverse("blog:newsletter")}
    )
