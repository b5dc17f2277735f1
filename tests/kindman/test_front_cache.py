"""Caches in front of the app (a CDN, Varnish, nginx) are told through Wagtail's frontend_cache
what to forget: a local HTTP server stands in for one and records the PURGE requests it gets."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from blog.factories import build_blog_index, build_post
from kindman.factories import build_standard_page

pytestmark = pytest.mark.django_db


class PurgeReceiver(BaseHTTPRequestHandler):
    def do_PURGE(self):
        self.server.purged.append((self.headers["Host"], self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format, *args):
        pass


@pytest.fixture
def front_cache(settings):
    """The paths purged from a front cache for http://testserver, in the order they came."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeReceiver)
    server.purged = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    yield server.purged
    server.shutdown()
    server.server_close()


def paths(purged) -> set[str]:
    assert {host for host, _ in purged} <= {"testserver"}
    return {path for _, path in purged}


def test_publishing_a_post_purges_it_its_blog_index_and_the_home_page(home_page, front_cache):
    index = build_blog_index(home_page)
    front_cache.clear()
    build_post(index, slug="on-rest")
    assert {"/blog/on-rest/", "/blog/", "/"} <= paths(front_cache)


def test_unpublishing_a_post_purges_it_and_the_pages_that_listed_it(home_page, front_cache):
    post = build_post(build_blog_index(home_page), slug="on-rest")
    front_cache.clear()
    post.unpublish()
    assert {"/blog/on-rest/", "/blog/", "/"} <= paths(front_cache)


def test_deleting_a_page_purges_it_and_the_pages_above(home_page, front_cache):
    about = build_standard_page(home_page)
    team = build_standard_page(about, title="Our team", slug="team")
    front_cache.clear()
    team.delete()
    assert {"/about/team/", "/about/", "/"} <= paths(front_cache)


def test_moving_a_page_purges_its_old_address(home_page, front_cache):
    about = build_standard_page(home_page)
    team = build_standard_page(home_page, title="Our team", slug="team")
    front_cache.clear()
    team.move(about, pos="last-child")
    assert {"/team/", "/about/", "/"} <= paths(front_cache)


def test_making_a_section_private_purges_every_page_in_it(home_page, front_cache):
    about = build_standard_page(home_page)
    build_standard_page(about, title="Our team", slug="team")
    front_cache.clear()
    restriction = PageViewRestriction.objects.create(
        page=about, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.create(name="Clinicians")])
    assert {"/about/", "/about/team/"} <= paths(front_cache)


def test_a_draft_purges_nothing(home_page, front_cache):
    about = build_standard_page(home_page)
    front_cache.clear()
    about.title = "About us, a draft"
    about.save_revision()
    assert front_cache == []


def test_the_purge_address_comes_from_the_environment():
    import subprocess
    import sys

    from tests.kindman.test_settings import ORIGIN, ROOT, clean_environment

    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.WAGTAILFRONTENDCACHE['default']['BACKEND'], "
        "s.WAGTAILFRONTENDCACHE['default']['LOCATION'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_environment()
        | {
            "DJANGO_SETTINGS_MODULE": "kindman.settings.production",
            "SECRET_KEY": "x" * 60,
            "PUBLIC_ORIGIN": ORIGIN,
            "DATABASE_URL": "postgres://someone@db.internal.example:5432/kindman",
            "FRONTEND_CACHE_PURGE_URL": "http://varnish.internal:6081",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == [
        "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "http://varnish.internal:6081",
    ], result.stderr
