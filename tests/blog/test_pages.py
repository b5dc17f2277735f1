"""The blog index and posts as readers see them: cards, filters, author cards, neighbours."""

import datetime
import re
from html import unescape

import pytest
from wagtail.test.utils import WagtailPageTestCase

from blog.factories import build_post, paragraph
from blog.models import WORDS_PER_MINUTE, BlogIndexPage, BlogPage
from kindman.blocks import RICH_TEXT_FEATURES
from kindman.models import HomePage
from therapists.factories import build_therapist

pytestmark = pytest.mark.django_db


class BlogTreeTests(WagtailPageTestCase):
    def test_blog_index_is_a_single_child_of_the_home_page(self):
        self.assertAllowedParentPageTypes(BlogIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(BlogIndexPage, {BlogPage})
        self.assertEqual(BlogIndexPage.max_count, 1)

    def test_posts_live_only_under_the_blog_index(self):
        self.assertAllowedParentPageTypes(BlogPage, {BlogIndexPage})
        self.assertAllowedSubpageTypes(BlogPage, set())


def dated(index, slug, day, **kwargs):
    return build_post(index, slug=slug, date=datetime.date(2026, 10, day), **kwargs)


def test_index_lists_live_posts_newest_first_with_cards(client, blog_index, author, hero):
    dated(blog_index, "older-post", 1, authors=[author], tags=["Grief"])
    dated(blog_index, "newer-post", 20, authors=[author], hero=hero, summary="Newer summary.")
    dated(blog_index, "draft-post", 25, authors=[author], publish=False)
    response = client.get("/blog/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Newer post") < html.index("Older post")
    assert "Draft post" not in html
    assert "Newer summary." in html
    assert "By Maren Okafor" in html
    assert 'href="/blog/feed/"' in html and "application/atom+xml" in html
    assert "<h1>Blog</h1>" in html


def test_index_paginates_and_survives_any_page_value(client, blog_index, author):
    for day in range(1, 12):
        dated(blog_index, f"post-{day}", day, authors=[author])
    first = client.get("/blog/").content.decode()
    assert "Post 11" in first and "Post 2<" not in first
    assert 'href="?page=2"' in first
    second = client.get("/blog/?page=2").content.decode()
    assert "Post 2<" in second and "Post 11" not in second
    for value in ["abc", "-1", "0", "99999999999999999999", "", "1.5", "%00", "2&page=x"]:
        assert client.get("/blog/", {"page": value}).status_code == 200
    assert "Post 2<" in client.get("/blog/?page=999").content.decode()  # the last page


def test_index_filters_by_tag_and_by_author_specialty(client, blog_index, author):
    other = build_therapist(slug="jonah-vey", title="Jonah Vey", specialties=["Substance use"])
    dated(blog_index, "about-grief", 1, authors=[other], tags=["Grief"])
    dated(blog_index, "about-work", 2, authors=[author], tags=["Work"])
    by_tag = client.get("/blog/?tag=grief").content.decode()
    assert "About grief" in by_tag and "About work" not in by_tag
    assert 'aria-current="true">Grief' in by_tag
    by_specialty = client.get("/blog/?specialty=sex-work").content.decode()
    assert "About work" in by_specialty and "About grief" not in by_specialty
    both = client.get("/blog/?specialty=sex-work&tag=grief").content.decode()
    assert "No posts here yet." in both


CHIP = re.compile(
    r'<a class="chip" href="([^"]+)"><span class="visually-hidden">Remove filter: </span>([^<]+)<'
)


def chips(html: str) -> list[tuple[str, str]]:
    """(link, label) of each removable filter chip on the page."""
    return [(unescape(href), unescape(label)) for href, label in CHIP.findall(html)]


def test_index_shows_each_filter_as_a_chip_that_removes_only_it(client, blog_index, author):
    dated(blog_index, "about-work", 2, authors=[author], tags=["Work"])
    response = client.get("/blog/?specialty=sex-work&tag=work&page=2")
    html = response.content.decode()
    assert chips(html) == [
        ("/blog/?specialty=sex-work#results-heading", "Work"),
        ("/blog/?tag=work#results-heading", "Sex work"),
    ]
    assert '<a class="active-filters__clear" href="/blog/#results-heading">' in html
    assert '<span class="filter-panel__count">2 active</span>' in html
    assert "1 post matches your filters" in html
    assert not response.cookies
    alone = client.get("/blog/?tag=work").content.decode()
    assert chips(alone) == [("/blog/#results-heading", "Work")]


def test_index_without_filters_has_no_chips_and_filter_links_land_on_the_posts(
    client, blog_index, author
):
    dated(blog_index, "about-work", 2, authors=[author], tags=["Work"])
    html = client.get("/blog/?tag=nope").content.decode()
    assert 'class="chip"' not in html and "Clear all" not in html
    assert "filter-panel__count" not in html
    assert re.search(r'<details class="filter-panel[^"]*">\s*<summary', html)
    assert 'href="?tag=work#results-heading"' in html
    assert '<h2 id="results-heading" class="results-heading">All posts</h2>' in html


def test_index_ignores_unknown_filters(client, blog_index, author):
    dated(blog_index, "still-here", 1, authors=[author])
    for query in ["?tag=nope", "?specialty=nope", "?tag=%3Cscript%3E", "?tag=a&tag=b"]:
        response = client.get("/blog/" + query)
        assert response.status_code == 200
        assert "Still here" in response.content.decode()


def test_post_page_shows_everything_a_reader_needs(client, blog_index, author, hero):
    post = dated(
        blog_index,
        "on-sex-work-therapy",
        9,
        title="On Sex Work & Therapy",
        authors=[author],
        hero=hero,
        hero_alt="Two soft shapes side by side",
        tags=["Sex work"],
        body=[
            {"type": "heading", "value": {"text": "Care without conditions", "level": "h2"}},
            paragraph("Care begins by believing people."),
            {"type": "paragraph", "value": "<ul><li>What does rest look like?</li></ul>"},
        ],
    )
    response = client.get(post.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1>") == 1 and "<h1>On Sex Work &amp; Therapy</h1>" in html
    assert "<h2>Care without conditions</h2>" in html
    assert "<li>What does rest look like?</li>" in html
    assert 'alt="Two soft shapes side by side"' in html
    assert 'href="/blog/?tag=sex-work"' in html
    assert "Get help now" in html and "free 20-minute phone call" in html
    assert 'href="/newsletter/"' in html
    assert "1 min read" in html


def test_author_card_shows_photo_name_role_bio_and_profile_link(client, blog_index, author):
    post = dated(blog_index, "a-post", 3, authors=[author])
    html = client.get(post.url).content.decode()
    assert "Featured therapist author<" in html
    assert 'alt="Maren smiling in a sunlit room"' in html
    assert 'loading="lazy"' in html
    assert '<a href="/therapists/maren-okafor/">Maren Okafor</a>' in html
    assert "Graduate Student Trainee Therapist" in html
    assert "Maren meets people where they are (demo)." in html


def test_each_author_gets_a_card_and_an_unpublished_author_is_left_out(client, blog_index, author):
    second = build_therapist(slug="priya-castellanos", title="Priya Castellanos")
    gone = build_therapist(slug="gone-therapist", title="Gone Therapist")
    post = dated(blog_index, "written-together", 4, authors=[author, second, gone])
    gone.unpublish()
    html = client.get(post.url).content.decode()
    assert "Featured therapist authors" in html
    assert html.count('class="author-card"') == 2
    assert "Gone Therapist" not in html
    assert 'By <a href="/therapists/maren-okafor/">Maren Okafor</a> and' in html


def test_previous_and_next_follow_publish_date_at_both_ends(client, blog_index, author):
    first = dated(blog_index, "first", 1, authors=[author])
    middle = dated(blog_index, "middle", 10, authors=[author])
    last = dated(blog_index, "last", 20, authors=[author])
    dated(blog_index, "unpublished", 15, authors=[author], publish=False)

    assert middle.neighbours() == (first, last)
    assert first.neighbours() == (None, middle)
    assert last.neighbours() == (middle, None)

    html = client.get(first.url).content.decode()
    assert 'rel="prev"' not in html
    assert 'rel="next" href="/blog/middle/"' in html
    html = client.get(last.url).content.decode()
    assert 'rel="prev" href="/blog/middle/"' in html
    assert 'rel="next"' not in html


def test_posts_on_the_same_day_still_have_a_stable_order(blog_index, author):
    one = dated(blog_index, "one", 5, authors=[author])
    two = dated(blog_index, "two", 5, authors=[author])
    assert one.neighbours() == (None, two)
    assert two.neighbours() == (one, None)


def test_related_posts_prefer_shared_tags(client, blog_index, author):
    post = dated(blog_index, "on-grief", 5, authors=[author], tags=["Grief", "Loss"])
    shares_two = dated(
        blog_index, "also-grief-and-loss", 1, authors=[author], tags=["Grief", "Loss"]
    )
    dated(blog_index, "unrelated-newest", 28, authors=[author], tags=["Couples"])
    shares_one = dated(blog_index, "a-little-loss", 2, authors=[author], tags=["Loss"])
    related = list(post.related_posts(limit=2))
    assert related == [shares_two, shares_one]
    assert "Related posts" in client.get(post.url).content.decode()


def test_reading_time_counts_the_words_of_every_prose_block(blog_index, author):
    words = " ".join(["word"] * (WORDS_PER_MINUTE * 3))
    post = dated(
        blog_index,
        "long-read",
        1,
        authors=[author],
        body=[
            {"type": "heading", "value": {"text": "Two words", "level": "h2"}},
            paragraph(f"<b>{words}</b>"),
            {"type": "quote", "value": {"quote": "three more words", "attribution": ""}},
        ],
    )
    assert post.word_count == WORDS_PER_MINUTE * 3 + 5
    assert post.reading_time == 3
    short = dated(blog_index, "short", 2, authors=[author], body=[paragraph("Hi.")])
    assert short.reading_time == 1


def test_deleted_hero_image_does_not_break_the_post(client, blog_index, author, hero):
    post = dated(blog_index, "lost-image", 1, authors=[author], hero=hero)
    hero.delete()
    response = client.get(post.url)
    assert response.status_code == 200
    assert 'property="og:image"' not in response.content.decode()


def test_rich_text_offers_only_the_designed_features():
    paragraph_block = BlogPage.body.field.stream_block.child_blocks["paragraph"]
    assert paragraph_block.features == RICH_TEXT_FEATURES


@pytest.mark.parametrize("path", ["/blog/", "/blog/a-post/", "/blog/feed/", "/search/?q=care"])
def test_reading_pages_set_no_cookie_and_load_nothing_from_other_origins(
    client, blog_index, author, hero, path
):
    dated(blog_index, "a-post", 1, authors=[author], hero=hero)
    response = client.get(path)
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    html = response.content.decode()
    for attribute in ('src="http', 'src="//', 'href="//', 'srcset="http'):
        assert attribute not in html
    # Structured data aside, one same-origin script (the quick exit's keyboard shortcut).
    scripts = set(re.findall(r"<script[^>]*>", html)) - {'<script type="application/ld+json">'}
    assert scripts <= {'<script src="/static/js/site.js" defer>'}


def test_posts_by_author_tag_lists_that_therapists_latest_posts(blog_index, author, rf):
    from django.template import Context, Template

    dated(blog_index, "mine-old", 1, authors=[author])
    dated(blog_index, "mine-new", 9, authors=[author])
    dated(blog_index, "mine-draft", 10, authors=[author], publish=False)
    dated(blog_index, "not-mine", 11, authors=[build_therapist(slug="someone-else")])
    template = Template("{% load blog_tags %}{% posts_by_author therapist %}")
    request = rf.get("/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"therapist": author, "request": request}))
    assert html.index("Mine new") < html.index("Mine old")
    assert "Mine draft" not in html and "Not mine" not in html
    assert "Writing by Maren Okafor" in html
    assert len([q for q in queries if "blog_blogpage" in q["sql"]]) == 1


def test_a_new_post_being_previewed_finds_its_neighbours(blog_index, author):
    older = dated(blog_index, "older", 1, authors=[author])
    unsaved = BlogPage(title="New", slug="new", summary="S", date=datetime.date(2026, 10, 1))
    assert unsaved.neighbours() == (older, None)
    assert list(unsaved.related_posts()) == [older]


class BlogPreviewTests(WagtailPageTestCase):
    def test_editors_preview_renders_a_post(self):
        from wagtail.test.utils.form_data import (
            inline_formset,
            nested_form_data,
            rich_text,
            streamfield,
        )

        from blog.factories import build_blog_index
        from kindman.factories import build_site

        index = build_blog_index(build_site())
        post = build_post(index, slug="preview-me", tags=["Grief"])
        # The StreamField editor is drawn by JavaScript, so the form data is spelled out.
        data = nested_form_data(
            {
                "title": "Preview me",
                "slug": "preview-me",
                "summary": "A summary.",
                "date": "2026-10-01",
                "hero_alt": "",
                "body": streamfield([("paragraph", rich_text("<p>Hello there.</p>"))]),
                "authors": inline_formset([{"therapist": post.author_list[0].pk}]),
                "tags": "Grief",
            }
        )
        self.assertPageIsPreviewable(post, post_data=data)
        self.assertPageIsRoutable(post)
        self.assertPageIsRenderable(index)


def test_hero_loads_eagerly_and_body_images_lazily_with_sizes_set(client, blog_index, author, hero):
    from blog.factories import build_image

    figure = build_image("Body picture", seed=9)
    post = dated(
        blog_index,
        "with-pictures",
        2,
        authors=[author],
        hero=hero,
        hero_alt="The hero",
        body=[
            {
                "type": "image",
                "value": {
                    "image": {
                        "image": figure.pk,
                        "alt_text": "A quiet garden",
                        "decorative": False,
                    },
                    "caption": "Our waiting room garden.",
                },
            }
        ],
    )
    html = client.get(post.url).content.decode()
    hero_tag = re.search(r'<img alt="The hero"[^>]*>', html).group(0)
    body_tag = re.search(r'<img alt="A quiet garden"[^>]*>', html).group(0)
    assert "loading=" not in hero_tag and 'fetchpriority="high"' in hero_tag
    assert 'loading="lazy"' in body_tag
    for tag in (hero_tag, body_tag):
        assert re.search(r'width="\d+"', tag) and re.search(r'height="\d+"', tag)
        assert "srcset=" in tag
    assert 'type="image/webp"' in html
    assert "<figcaption>Our waiting room garden.</figcaption>" in html
