"""Feeds and discovery: the Atom feed, the sitemap, robots.txt, canonical and social tags, JSON-LD."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest

from blog.factories import build_post
from blog.models import BlogPage
from blog.seo import json_ld
from therapists.factories import build_therapist

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def json_ld_blocks(html: str) -> list[dict]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in found]


@pytest.fixture
def posts(blog_index, author, hero):
    return [
        build_post(
            blog_index,
            slug="older",
            title="Older post",
            date=datetime.date(2026, 9, 1),
            authors=[author],
            tags=["Grief"],
        ),
        build_post(
            blog_index,
            slug="newer",
            title="Newer post",
            summary="The newer one & more.",
            date=datetime.date(2026, 10, 1),
            authors=[author, build_therapist(slug="daniel-demo", title="Daniel Demo")],
            hero=hero,
            hero_alt="Warm abstract shapes",
        ),
    ]


def test_feed_is_valid_atom_with_titles_links_dates_and_authors(client, posts):
    response = client.get("/blog/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Blog"
    assert feed.feed.link.endswith("/blog/")
    assert [entry.title for entry in feed.entries] == ["Newer post", "Older post"]
    newest = feed.entries[0]
    assert newest.link.endswith("/blog/newer/")
    assert newest.summary == "The newer one & more."
    assert newest.author == "Maren Okafor and Daniel Demo"
    assert newest.published_parsed[:3] == (2026, 10, 1)
    assert [tag.term for tag in feed.entries[1].tags] == ["Grief"]


def test_feed_leaves_out_drafts(client, posts, blog_index, author):
    build_post(blog_index, slug="draft", title="A draft", authors=[author], publish=False)
    feed = feedparser.parse(client.get("/blog/feed/").content)
    assert "A draft" not in [entry.title for entry in feed.entries]


def test_feed_without_a_blog_is_a_404(client, home_page):
    assert client.get("/blog/feed/").status_code == 404


def test_sitemap_lists_the_index_and_every_live_post_with_lastmod(client, posts, blog_index):
    build_post(blog_index, slug="draft", authors=posts[0].author_list, publish=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314  (our own sitemap, in a test)
    entries = {
        url.find("s:loc", SITEMAP_NS).text: url.find("s:lastmod", SITEMAP_NS)
        for url in root.findall("s:url", SITEMAP_NS)
    }
    paths = {loc.split("testserver", 1)[1] for loc in entries}
    assert {"/blog/", "/blog/older/", "/blog/newer/"} <= paths
    assert "/blog/draft/" not in paths
    for loc, lastmod in entries.items():
        if "/blog/" in loc:
            assert lastmod is not None and lastmod.text


def test_index_lastmod_follows_the_newest_post(posts, blog_index):
    urls = blog_index.get_sitemap_urls()
    newest = BlogPage.objects.live().order_by("-last_published_at").first().last_published_at
    assert newest is not None
    assert urls[0]["lastmod"] == newest


def test_robots_txt_points_at_the_sitemap(client, home_page):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_post_has_canonical_description_and_social_tags(client, posts):
    html = client.get("/blog/newer/").content.decode()
    assert '<link rel="canonical" href="http://testserver/blog/newer/">' in html
    assert '<meta name="description" content="The newer one &amp; more.">' in html
    assert '<meta property="og:type" content="article">' in html
    image = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert image.startswith("http://testserver/media/") and image.endswith(".jpg")
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<meta name="twitter:image" content="{image}">' in html
    assert '<meta property="og:image:alt" content="Warm abstract shapes">' in html


def test_post_json_ld_is_a_blog_posting_naming_its_authors(client, posts):
    html = client.get("/blog/newer/").content.decode()
    (data,) = json_ld_blocks(html)
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Newer post"
    assert data["datePublished"].startswith("2026-10-01T")
    assert data["datePublished"][-6:] in ("-07:00", "-08:00")  # Pacific, with its offset
    assert data["image"].startswith("http://testserver/media/")
    assert [(a["@type"], a["name"]) for a in data["author"]] == [
        ("Person", "Maren Okafor"),
        ("Person", "Daniel Demo"),
    ]
    assert data["author"][0]["url"] == "http://testserver/therapists/maren-okafor/"
    assert data["publisher"]["@type"] == "MedicalBusiness"
    assert data["publisher"]["@id"] == "http://testserver/#practice"


def test_json_ld_cannot_break_out_of_its_script_element():
    html = json_ld({"headline": "</script><script>alert(1)</script> & more"})
    assert html.count("</script>") == 1
    payload = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(payload)["headline"] == "</script><script>alert(1)</script> & more"


def test_home_page_describes_the_practice_as_an_organization(client, home_page):
    (data,) = json_ld_blocks(client.get("/").content.decode())
    assert data["@type"] == "MedicalBusiness"
    assert data["@id"] == "http://testserver/#practice"
    assert data["name"] == "Kindman & Co."
    assert data["address"]["addressLocality"] == "Los Angeles"
    assert data["url"] == "http://testserver/"


def test_index_has_canonical_and_feed_link(client, posts):
    html = client.get("/blog/?tag=grief").content.decode()
    assert '<link rel="canonical" href="http://testserver/blog/">' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
