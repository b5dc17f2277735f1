"""The per-process snapshot (kindman/snapshot.py) is never stale: whatever changes content, on this
app server or another, the next request on every server sees it.

A save here only writes a new content version to the shared cache; it never touches this
process's memory. So a save here stands for a save made on another server, and the tests check
that the memory the old version left behind is still there when the new content is shown.
`tests/kindman/test_several_app_servers.py` does the same across two real gunicorn servers."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from blog.factories import build_blog_index
from kindman import snapshot
from kindman.factories import build_standard_page
from kindman.models import PracticeSettings

pytestmark = pytest.mark.django_db


def shared_version() -> str:
    return caches["default"].get(snapshot.VERSION_KEY)


def remembered(key: str, version: str):
    return caches["snapshot"].get(key, version=version)


def test_a_page_view_reads_the_content_version_and_nothing_else_of_the_shell(client, home_page):
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert queries[0]["sql"].startswith(
        'SELECT "cache_key", "value", "expires" FROM "kindman_cache"'
    )
    assert not [
        q for q in queries if "wagtailcore_site" in q["sql"] or "practicesettings" in q["sql"]
    ]


def test_edited_practice_settings_show_on_the_next_request(client, home_page):
    assert "(323) 555-0142" in client.get("/").content.decode()
    before = shared_version()

    practice = PracticeSettings.load()
    practice.phone = "(323) 555-0199"
    practice.save()

    assert shared_version() != before
    # The old copy is still in this process's memory, under the old version only.
    assert remembered("setting:kindman.practicesettings", before).phone == "(323) 555-0142"
    html = client.get("/").content.decode()
    assert "(323) 555-0199" in html and "(323) 555-0142" not in html


def test_a_change_written_by_another_server_is_seen_once_it_writes_a_new_version(client, home_page):
    assert "(323) 555-0142" in client.get("/").content.decode()
    # Another server's save: the row changes (no signal fires in this process)…
    PracticeSettings.objects.update(phone="(323) 555-0177")
    # …and that server's signal handler writes a new version to the shared cache.
    caches["default"].set(snapshot.VERSION_KEY, "written-by-another-server", timeout=None)
    assert "(323) 555-0177" in client.get("/").content.decode()


def test_until_the_version_changes_a_server_answers_from_memory(client, home_page):
    client.get("/")
    PracticeSettings.objects.update(phone="(323) 555-0177")  # behind Django's back: no signal
    assert "(323) 555-0142" in client.get("/").content.decode()


def test_a_newly_published_section_is_in_the_menu_and_routable_at_once(client, home_page):
    html = client.get("/").content.decode()
    assert 'href="/blog/">Blog</a>' not in html
    assert client.get("/blog/").status_code == 404

    index = build_blog_index(home_page)

    assert 'href="/blog/">Blog</a>' in client.get("/").content.decode()
    assert client.get("/blog/").status_code == 200

    index.unpublish()
    assert 'href="/blog/">Blog</a>' not in client.get("/").content.decode()
    assert client.get("/blog/").status_code == 404


def test_a_page_under_home_is_served_and_forgotten_with_its_publication(client, home_page):
    assert client.get("/fees/").status_code == 404
    page = build_standard_page(home_page, title="Fees", slug="fees")
    assert client.get("/fees/").status_code == 200

    page.title = "Fees and insurance"
    page.save_revision().publish()
    assert "<h1>Fees and insurance</h1>" in client.get("/fees/").content.decode()

    page.unpublish()
    assert client.get("/fees/").status_code == 404


def test_an_edited_home_page_shows_at_once(client, home_page):
    client.get("/")
    home_page.hero_heading = "You are welcome here"
    home_page.save_revision().publish()
    assert "<h1>You are welcome here</h1>" in client.get("/").content.decode()


def test_making_a_page_private_takes_effect_on_the_next_request(client, home_page):
    page = build_standard_page(home_page, title="Team notes", slug="team-notes")
    assert client.get("/team-notes/").status_code == 200

    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.create(name="Clinicians")])

    response = client.get("/team-notes/")
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get("/").status_code == 200  # public pages stay public


def test_a_changed_site_hostname_is_used_for_the_next_request(client, home_page):
    assert '"url": "http://testserver/"' in client.get("/").content.decode()
    site = Site.objects.get(is_default_site=True)
    site.hostname = "kindman.example"
    site.save()
    # The home page's schema.org data is built from the request's site root paths.
    assert '"url": "http://kindman.example/"' in client.get("/").content.decode()


def test_a_lost_version_is_made_again_and_the_page_still_renders(client, home_page):
    client.get("/")
    caches["default"].delete(snapshot.VERSION_KEY)  # e.g. culled from the shared cache
    assert client.get("/").status_code == 200
    assert shared_version() is not None


def test_outside_a_request_nothing_is_remembered(home_page):
    assert not snapshot.is_active()
    calls = []
    snapshot.remember("anything", lambda: calls.append(1))
    snapshot.remember("anything", lambda: calls.append(1))
    assert calls == [1, 1]


def test_a_frozen_value_is_shared_within_a_version_and_built_again_for_the_next():
    built = []

    def build():
        built.append(1)
        return (len(built),)

    def within(version, **options):
        token = snapshot._version.set(version)
        try:
            return snapshot.remember("frozen-test", build, **options)
        finally:
            snapshot._version.reset(token)

    first = within("v1", frozen=True)
    assert within("v1", frozen=True) is first and built == [1]
    assert within("v2", frozen=True) == (2,)
    assert within("v1", frozen=True) == (3,)  # an older version is never read again
    copied = within("v3")
    assert within("v3") == copied and within("v3") is not copied  # pickled copies


def test_frozen_values_are_forgotten_past_the_key_limit(monkeypatch):
    monkeypatch.setattr(snapshot, "FROZEN_KEYS", 3)
    monkeypatch.setattr(snapshot, "_frozen", {})
    token = snapshot._version.set("v1")
    try:
        for day in range(5):
            snapshot.remember(f"day:{day}", lambda: (), frozen=True)
    finally:
        snapshot._version.reset(token)
    assert len(snapshot._frozen) <= 3 and "day:4" in snapshot._frozen


def test_an_alias_of_a_private_page_is_private_too(client, home_page):
    private = build_standard_page(home_page, title="Staff notes", slug="staff")
    private.create_alias(parent=home_page, update_slug="staff-copy")
    assert client.get("/staff-copy/").status_code == 200

    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="demo-only"
    )
    for path in ("/staff/", "/staff-copy/"):
        response = client.get(path)
        assert response.status_code == 200 and 'name="password"' in response.content.decode()
        assert "no-cache" in response["Cache-Control"]


def test_a_form_sent_with_post_gets_its_site_only_when_a_page_is_shown(
    client, home_page, monkeypatch
):
    """A booking answered with a redirect never copies the Site out of memory; one shown again
    with its errors gets it from memory, with the site's menu, and no query for it."""
    from datetime import time

    from consultations.calls.slots import load_schedule, open_slots
    from consultations.factories import build_coordinator, build_rules
    from tests.consultations.helpers import booking_data

    build_rules(horizon_days=7)
    build_coordinator("Snapshot Coordinator", weekdays=range(7), start=time(6), end=time(22))
    now = timezone.now()
    slot, other = (slot.value for slot in open_slots(load_schedule(now), now)[:2])
    sites = []
    copy_site = snapshot.site_for_request
    monkeypatch.setattr(
        snapshot, "site_for_request", lambda request: sites.append(1) or copy_site(request)
    )
    client.get("/consultation/")
    assert len(sites) == 1  # pages read with GET get it at once

    booked = client.post("/consultation/", booking_data(slot))
    assert booked.status_code == 302 and len(sites) == 1

    with CaptureQueriesContext(connection) as queries:
        refused = client.post("/consultation/", booking_data(other, phone="not a phone"))
    assert refused.status_code == 400 and len(sites) == 2
    html = refused.content.decode()
    assert 'href="/consultation/"' in html and "(323) 555-0142" in html  # the menu, the practice
    assert not [q for q in queries if "wagtailcore_site" in q["sql"]]
