"""The practice pages a visitor and the law expect: the notices, fees with the estimator, the FAQ,
the visit page and the accessibility statement with its problem report, as seeded for the demo and
linked from every page's footer."""

import json
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone

from kindman.models import (
    AccessibilityReport,
    EmailDelivery,
    FAQPage,
    LegalNoticePage,
    PracticeSettings,
)
from kindman.practice.models import notice_versions_in_force
from tests.kindman.test_queries import READING_PAGE_QUERIES
from therapists.factories import build_therapist

PAGES = [
    "/privacy/",
    "/telehealth-consent/",
    "/good-faith-estimate/",
    "/accessibility/",
    "/fees/",
    "/faq/",
    "/visit/",
]


@pytest.fixture
def practice_pages(home_page):
    call_command("seed_practice_pages", verbosity=0)


def structured_data(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def urls_in(data) -> list[str]:
    if isinstance(data, dict):
        return [url for value in data.values() for url in urls_in(value)]
    if isinstance(data, list):
        return [url for value in data for url in urls_in(value)]
    return [data] if isinstance(data, str) and "/" in data and ":" in data else []


@pytest.mark.django_db
class TestSeededAndLinked:
    def test_every_page_is_linked_from_the_footer(self, client, practice_pages):
        footer = client.get("/").content.decode().split("<footer", 1)[1]
        for path in PAGES:
            assert f'href="{path}"' in footer, path
            assert client.get(path).status_code == 200, path

    def test_the_footer_names_the_licensing_board_and_how_to_reach_it(self, client, home_page):
        footer = client.get("/").content.decode().split("<footer", 1)[1]
        assert "California Board of Behavioral Sciences" in footer
        assert 'href="tel:9165747830"' in footer and 'href="https://www.bbs.ca.gov/"' in footer

    def test_seeding_twice_changes_nothing(self, practice_pages):
        pages = LegalNoticePage.objects.count()
        call_command("seed_practice_pages", verbosity=0)
        assert LegalNoticePage.objects.count() == pages == 2

    @pytest.mark.parametrize("path", ["/privacy/", "/telehealth-consent/", "/good-faith-estimate/"])
    def test_demo_legal_text_says_it_is_a_template_to_review(self, client, practice_pages, path):
        assert "A template to be reviewed" in client.get(path).content.decode()

    def test_a_notice_shows_its_effective_date_and_version(self, client, practice_pages):
        html = client.get("/privacy/").content.decode()
        assert "Effective January 1, 2026 · Version 2026-01" in html

    def test_fees_link_to_the_good_faith_estimate(self, client, practice_pages):
        assert 'href="/good-faith-estimate/"' in client.get("/fees/").content.decode()

    def test_booking_links_to_the_estimate_the_fees_and_both_notices(self, client, practice_pages):
        html = client.get("/consultation/").content.decode()
        for path in ["/good-faith-estimate/", "/fees/", "/privacy/", "/telehealth-consent/"]:
            assert f'href="{path}"' in html, path


@pytest.mark.django_db
class TestNoticeVersions:
    def test_a_booking_records_the_versions_live_now(self, practice_pages):
        assert notice_versions_in_force() == {
            "privacy_notice_version": "2026-01",
            "telehealth_consent_version": "2026-01",
        }
        notice = LegalNoticePage.objects.get(slug="privacy")
        notice.version_label = "2026-07"
        notice.save_revision().publish()
        assert notice_versions_in_force()["privacy_notice_version"] == "2026-07"

    def test_an_unpublished_notice_records_no_version(self, practice_pages):
        LegalNoticePage.objects.get(slug="telehealth-consent").unpublish()
        assert notice_versions_in_force()["telehealth_consent_version"] == ""


@pytest.mark.django_db
class TestFeesEstimator:
    def test_the_empty_form_shows_no_estimate(self, client, practice_pages):
        html = client.get("/fees/").content.decode()
        assert "Your estimate" not in html and 'name="percent"' in html

    def test_an_estimate_is_worked_out_on_the_server(self, client, practice_pages):
        query = "?fee=200&allowed=150&percent=60&deductible=300&sessions=4"
        html = client.get("/fees/" + query).content.decode()
        # Two sessions meet the deductible; the next two are paid back at 60% of $150.
        assert "Your estimate for 4 sessions" in html
        assert "$800.00" in html and "$180.00" in html and "$620.00" in html
        assert "The first 2 sessions would go towards your deductible" in html

    def test_someones_figures_are_never_cached_but_the_page_is(self, client, practice_pages):
        assert "private" not in client.get("/fees/").get("Cache-Control", "")
        estimate = client.get("/fees/?fee=200&percent=60&deductible=0&sessions=4")
        assert "no-store" in estimate["Cache-Control"]
        assert "noindex" in estimate["X-Robots-Tag"]

    def test_wrong_answers_are_marked_beside_the_field_and_kept(self, client, practice_pages):
        response = client.get("/fees/?fee=200&percent=140&deductible=0&sessions=4")
        html = response.content.decode()
        assert response.status_code == 200
        assert "Please check the answers marked below." in html
        assert "less than or equal to 100" in html and 'value="140"' in html
        assert "Your estimate" not in html


@pytest.mark.django_db
class TestStructuredData:
    def test_the_faq_is_faqpage_data_with_every_question(self, client, practice_pages):
        html = client.get("/faq/").content.decode()
        (data,) = [d for d in structured_data(html) if d["@type"] == "FAQPage"]
        page = FAQPage.objects.get()
        questions = [q for group in page.body for q in group.value["questions"]]
        assert len(data["mainEntity"]) == len(questions) > 0
        for entry in data["mainEntity"]:
            assert entry["@type"] == "Question" and entry["name"]
            assert entry["acceptedAnswer"]["@type"] == "Answer"
            assert entry["acceptedAnswer"]["text"] and "<" not in entry["acceptedAnswer"]["text"]

    def test_the_visit_page_describes_the_practice(self, client, practice_pages):
        html = client.get("/visit/").content.decode()
        (data,) = [d for d in structured_data(html) if d["@type"] == "MedicalBusiness"]
        practice = PracticeSettings.load()
        assert data["@context"] == "https://schema.org"
        assert data["name"] == practice.name and data["telephone"] == practice.phone
        assert data["address"]["@type"] == "PostalAddress"
        assert data["address"]["addressLocality"] == practice.locality
        assert data["logo"].startswith("http://testserver/")
        assert data["geo"]["latitude"] and data["openingHoursSpecification"]
        assert all(url.startswith("http") for url in urls_in(data))
        assert all(
            url.startswith(("http://testserver/", "https://schema.org")) for url in urls_in(data)
        )

    def test_the_visit_page_tells_how_to_get_there(self, client, practice_pages):
        html = client.get("/visit/").content.decode()
        for words in ["A Line", "Highland Park station", "By bus", "Parking", "step-free"]:
            assert words in html, words


@pytest.mark.django_db
class TestAccessibilityReport:
    URL = "/accessibility/report/"

    def test_the_statement_links_to_the_report_form(self, client, practice_pages):
        html = client.get("/accessibility/").content.decode()
        assert "WCAG 2.2" in html and f'href="{self.URL}"' in html

    def test_a_report_reaches_the_practice(self, client, practice_pages):
        response = client.post(self.URL, {"problem": "The menu traps my keyboard."}, follow=True)
        assert "Thank you for telling us" in response.content.decode()
        report = AccessibilityReport.objects.get()
        assert report.problem == "The menu traps my keyboard."
        assert EmailDelivery.objects.count() == 1

    def test_an_empty_report_is_refused_next_to_the_field(self, client, practice_pages):
        response = client.post(self.URL, {"problem": "", "page_address": "/fees/"})
        html = response.content.decode()
        assert response.status_code == 400
        assert "Please tell us what went wrong." in html and 'value="/fees/"' in html
        assert not AccessibilityReport.objects.exists()

    def test_the_form_page_is_private(self, client, practice_pages):
        assert "no-store" in client.get(self.URL)["Cache-Control"]

    def test_reports_are_deleted_after_90_days_by_the_daily_purge(self, home_page):
        old = AccessibilityReport.objects.create(problem="Old words.")
        AccessibilityReport.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - timedelta(days=91)
        )
        recent = AccessibilityReport.objects.create(problem="New words.")
        call_command("purge_personal_data", stdout=StringIO())
        assert list(AccessibilityReport.objects.all()) == [recent]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_each_page_stays_within_the_reading_page_query_budget(
    client, practice_pages, django_assert_max_num_queries, path
):
    caches["pages"].clear()  # the first render is what is measured
    with django_assert_max_num_queries(READING_PAGE_QUERIES):
        assert client.get(path).status_code == 200


def footer_of(client, path="/") -> str:
    return client.get(path).content.decode().split("<footer", 1)[1]


@pytest.mark.django_db
class TestLicensingBoards:
    """The footer carries the consumer notice of each board that regulates a published
    profile's licence: the Board of Behavioral Sciences for MFTs, social workers, counselors
    and their associates, the Board of Psychology for psychologists."""

    def test_a_practice_without_psychologists_shows_only_the_behavioral_sciences_board(
        self, client, home_page
    ):
        supervisor = build_therapist(slug="mft", licence_type="LMFT")
        build_therapist(slug="associate", licence_status="associate", supervisor=supervisor)
        footer = footer_of(client)
        assert "California Board of Behavioral Sciences" in footer
        assert "Board of Psychology" not in footer

    def test_a_published_psychologist_brings_the_board_of_psychology_notice(
        self, client, home_page
    ):
        build_therapist(slug="mft", licence_type="LMFT")
        psychologist = build_therapist(slug="psychologist", licence_type="PSY")
        footer = footer_of(client)
        assert "The California Board of Psychology licenses and oversees psychologists" in footer
        assert 'href="tel:9165747720"' in footer
        assert 'href="https://www.psychology.ca.gov/"' in footer
        assert "California Board of Behavioral Sciences" in footer

        psychologist.unpublish()
        assert "Board of Psychology" not in footer_of(client, "/?after-unpublishing")

    def test_with_only_psychologists_the_other_board_is_left_out(self, client, home_page):
        build_therapist(slug="psychologist", licence_type="PSY")
        footer = footer_of(client)
        assert "California Board of Psychology" in footer
        assert "Behavioral Sciences" not in footer

    def test_a_board_an_editor_changed_is_shown_as_changed(self, client, home_page):
        practice = PracticeSettings.load()
        boards = practice.licensing_boards.get_prep_value()
        boards[0]["value"]["phone"] = "(916) 555-0100"
        practice.licensing_boards = json.dumps(boards)
        practice.save()
        assert 'href="tel:9165550100"' in footer_of(client)

    def test_the_spanish_footer_gives_the_notice_in_spanish(self, client, home_page):
        from kindman.factories import translate_page

        translate_page(home_page, title="Inicio")
        footer = footer_of(client, "/es/")
        assert "La Junta de Ciencias del Comportamiento de California otorga" in footer
        assert "Puedes comunicarte con la Junta de Ciencias del Comportamiento" in footer
        assert "licenses and oversees" not in footer
