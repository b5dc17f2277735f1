"""The home page, standard pages, the site shell and error pages, as visitors and editors see them."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from kindman.factories import build_site, build_standard_page, set_privacy_page
from kindman.models import HomePage, StandardPage


class HomePageTreeTests(WagtailPageTestCase):
    def test_home_page_sits_at_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertEqual(HomePage.max_count, 1)

    def test_standard_pages_go_under_home_or_other_standard_pages(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})


@pytest.mark.django_db
class TestHomePage:
    def test_renders_hero_intro_and_shell(self, client, home_page):
        response = client.get("/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "<h1>Therapy that meets you where you are</h1>" in html
        assert 'class="skip-link" href="#main"' in html
        assert '<main id="main"' in html
        assert "call or text 988" in html and "911" in html
        assert "Highland Park" in html

    def test_loads_nothing_from_other_origins(self, client, home_page):
        html = client.get("/").content.decode()
        for attribute in ('src="http', 'src="//', 'href="//'):
            assert attribute not in html
        assert "fonts.googleapis" not in html

    def test_sets_no_cookie(self, client, home_page):
        assert not client.get("/").cookies

    def test_body_blocks_render_and_a_call_to_action_to_a_deleted_page_does_not_crash(
        self, client, home_page
    ):
        about = build_standard_page(home_page)
        home_page.body = [
            {
                "type": "services",
                "value": {
                    "heading": "How we help",
                    "intro": "",
                    "services": [{"title": "Couples", "description": "Both of you."}],
                },
            },
            {
                "type": "call_to_action",
                "value": {
                    "heading": "Meet us",
                    "text": "",
                    "button_label": "Read about us",
                    "page": about.pk,
                    "booking": None,
                },
            },
        ]
        home_page.save_revision().publish()
        html = client.get("/").content.decode()
        assert "<h3>Couples</h3>" in html
        assert f'href="{about.url}"' in html

        about.delete()
        response = client.get("/")
        assert response.status_code == 200
        assert "Meet us" in response.content.decode()
        assert "Read about us" not in response.content.decode()

    def test_footer_links_to_the_privacy_notice_once_chosen(self, client, home_page):
        privacy = build_standard_page(home_page, title="Privacy notice", slug="privacy")
        assert "Privacy notice" not in client.get("/").content.decode()
        set_privacy_page(privacy)
        assert 'href="/privacy/">Privacy notice' in client.get("/").content.decode()

    def test_standard_page_renders(self, client, home_page):
        build_standard_page(home_page)
        response = client.get("/about/")
        assert response.status_code == 200
        assert "<h1>About us</h1>" in response.content.decode()


@pytest.mark.django_db
def test_unknown_address_gets_a_friendly_404_in_the_site_design(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We couldn’t find that page" in html
    assert 'class="site-header"' in html


@pytest.mark.django_db
def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    counts = (Page.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (Page.objects.count(), User.objects.count()) == counts
    assert "demo login: demo-admin" in first
    assert HomePage.objects.get(locale__language_code="en").live
    assert User.objects.get(username="demo-editor").groups.filter(name="Editors").exists()
    assert (
        User.objects.get(username="demo-coordinator")
        .groups.filter(name="Care coordinators")
        .exists()
    )
    assert User.objects.get(username="demo-admin").is_superuser


def test_build_site_works_on_an_empty_database(transactional_db):
    home = build_site()
    assert home.url == "/"


@pytest.mark.django_db
def test_pages_describe_themselves_for_search_results(client, home_page):
    build_standard_page(home_page, slug="privacy", summary="What we keep and why.")
    build_standard_page(home_page, slug="fees", search_description="What sessions cost.")
    assert (
        '<meta name="description" content="What we keep and why.">'
        in client.get("/privacy/").content.decode()
    )
    assert (
        '<meta name="description" content="What sessions cost.">'
        in client.get("/fees/").content.decode()
    )
    assert client.get("/").status_code == 200  # a page type without a summary


@pytest.mark.django_db
def test_pages_ask_for_their_stylesheet_from_the_headers_and_the_admin_does_not(
    client, home_page, settings
):
    import re

    settings.PAGE_CACHE_ENABLED = True
    for path in ("/", "/consultation/", "/no-such-page/"):
        response = client.get(path)
        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)">', response.content.decode())
        assert response["Link"] == f"<{stylesheet.group(1)}>; rel=preload; as=style", path
    client.get("/")
    hit = client.get("/")
    assert hit["X-Page-Cache"] == "hit" and hit["Link"].endswith("rel=preload; as=style")
    assert "Link" not in client.get("/admin/login/")
    assert "Link" not in client.get("/robots.txt")


@pytest.mark.django_db
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
