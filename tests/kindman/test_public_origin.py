"""One public origin (settings.PUBLIC_ORIGIN) for every absolute URL the site hands out, whatever
Host header a request arrives with."""

import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.core import mail
from django.core.management import call_command
from wagtail.models import Site

from blog.factories import build_blog_index, build_image, build_post
from kindman.factories import build_site
from therapists.factories import build_therapist

pytestmark = pytest.mark.django_db

ORIGIN = "https://www.kindman.example"
OTHER_HOSTS = ["elsewhere.example", "attacker.example:8080"]
URL = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture
def public_site(settings):
    """A site with a blog post whose public origin is not the test client's host."""
    settings.PUBLIC_ORIGIN = ORIGIN
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "elsewhere.example", "attacker.example"]
    settings.CONSULTATION_RATE_LIMIT = (1000, 600)
    home = build_site()
    author = build_therapist(slug="maren-okafor", title="Maren Okafor")
    index = build_blog_index(home)
    build_post(index, slug="a-post", authors=[author], hero=build_image("Hero", seed=5))
    return home


def get(client, path, host):
    response = client.get(path, headers={"host": host})
    assert response.status_code == 200, (path, host)
    return response.content.decode()


def assert_only_public_urls(urls, host):
    assert urls
    for url in urls:
        assert url.startswith(ORIGIN + "/"), url
        assert host.split(":")[0] not in url, url


@pytest.mark.parametrize("host", OTHER_HOSTS)
def test_robots_txt_names_the_sitemap_at_the_public_origin(client, public_site, host):
    (sitemap,) = re.findall(r"^Sitemap: (.*)$", get(client, "/robots.txt", host), re.M)
    assert sitemap == ORIGIN + "/sitemap.xml"


@pytest.mark.parametrize("host", OTHER_HOSTS)
def test_the_feeds_ids_and_links_are_at_the_public_origin(client, public_site, host):
    feed = get(client, "/blog/feed/", host)
    root = ET.fromstring(feed)  # noqa: S314  (our own feed, in a test)
    atom = "{http://www.w3.org/2005/Atom}"
    ids = [element.text for element in root.iter(f"{atom}id")]
    links = [element.get("href") for element in root.iter(f"{atom}link")]
    assert len(ids) == 2 and len(links) == 3  # the feed and its post; alternate, self, post
    assert_only_public_urls(ids + links, host)
    assert feedparser.parse(feed).feed.id == ORIGIN + "/blog/"


def test_the_feeds_atom_id_is_the_same_whatever_the_host(client, public_site):
    ids = {feedparser.parse(get(client, "/blog/feed/", host)).feed.id for host in OTHER_HOSTS}
    assert ids == {ORIGIN + "/blog/"}


@pytest.mark.parametrize("host", OTHER_HOSTS)
def test_a_posts_canonical_og_url_and_json_ld_are_at_the_public_origin(client, public_site, host):
    html = get(client, "/blog/a-post/", host)
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
    og_url = re.search(r'<meta property="og:url" content="([^"]+)">', html).group(1)
    assert canonical == og_url == ORIGIN + "/blog/a-post/"
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block)
    urls = [data["url"], data["mainEntityOfPage"], data["image"], data["publisher"]["url"]]
    assert_only_public_urls([*urls, *(author["url"] for author in data["author"])], host)


@pytest.mark.parametrize("host", OTHER_HOSTS)
def test_the_home_pages_json_ld_is_at_the_public_origin(client, public_site, host):
    html = get(client, "/", host)
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(block)["url"] == ORIGIN + "/"


@pytest.mark.parametrize("host", OTHER_HOSTS)
def test_the_sitemap_lists_pages_at_the_public_origin(client, public_site, host):
    root = ET.fromstring(get(client, "/sitemap.xml", host))  # noqa: S314
    locs = [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert ORIGIN + "/blog/a-post/" in locs
    assert_only_public_urls(locs, host)


@pytest.mark.parametrize("host", OTHER_HOSTS)
def test_newsletter_email_links_are_at_the_public_origin(client, public_site, host):
    response = client.post("/newsletter/", {"email": "reader@example.com"}, headers={"host": host})
    assert response.status_code == 302
    (message,) = mail.outbox
    urls = URL.findall(message.body) + URL.findall(message.alternatives[0][0])
    assert_only_public_urls(urls, host)
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{ORIGIN}/newsletter/")


def test_seed_demo_puts_the_default_site_at_the_public_origin(settings):
    settings.PUBLIC_ORIGIN = ORIGIN
    call_command("seed_demo", verbosity=0)
    site = Site.objects.get()
    assert (site.hostname, site.port, site.is_default_site) == ("www.kindman.example", 443, True)
    assert site.root_url == ORIGIN
    # Run again after the origin changed, it moves the one Site there.
    settings.PUBLIC_ORIGIN = "http://127.0.0.1:8123"
    call_command("seed_demo", verbosity=0)
    assert Site.objects.get().root_url == "http://127.0.0.1:8123"
