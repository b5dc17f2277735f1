"""What staff in the Editors group can do with profiles and taxonomies in the Wagtail admin."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from therapists.factories import build_therapist, build_therapist_index
from therapists.models import Specialty, TherapistPage


@pytest.fixture
def editor(db):
    user = User.objects.create_user(username="eddie-editor", password="not-used-here-123")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def profile_form(supervisor: TherapistPage, /, **overrides) -> dict:
    trauma = Specialty.objects.get(slug="trauma")
    data = {
        "title": "Quinn Demo",
        "slug": "quinn-demo",
        "pronouns": "they/them",
        "photo_alt": "",
        "role": "Associate Marriage and Family Therapist",
        "credentials": "AMFT",
        "licence_status": "associate",
        "licence_type": "AMFT",
        "licence_number": "AMFT 1 (demo)",
        "employed_by_practice": "on",
        "supervisor": str(supervisor.pk),
        "short_bio": "Quinn works with trauma, gently.",
        "long_bio": rich_text("<p>A longer story.</p>"),
        "affirming_identities": "",
        "works_with_individuals": "on",
        "age_ranges": "Adults",
        "offers_online": "on",
        "accepting_new_clients": "on",
        "fee_note": "",
        "comments": inline_formset([]),
        "action-publish": "action-publish",
    }
    data.update(overrides)
    form = nested_form_data(data)
    form["specialties"] = [str(trauma.pk)]  # a multi-value field, which nested_form_data splits
    return form


@pytest.mark.django_db
class TestEditorsInTheAdmin:
    def test_an_editor_can_create_and_publish_a_therapist_profile(self, editor_client, home_page):
        supervisor = build_therapist(slug="dana-demo")
        index = build_therapist_index()
        url = reverse("wagtailadmin_pages:add", args=("therapists", "therapistpage", index.pk))
        assert editor_client.get(url).status_code == 200

        response = editor_client.post(url, profile_form(supervisor))

        assert response.status_code == 302, response.context["form"].errors
        page = TherapistPage.objects.get(slug="quinn-demo", locale__language_code="en")
        assert page.live
        assert page.get_parent().pk == index.pk
        assert list(page.specialties.values_list("slug", flat=True)) == ["trauma"]
        assert page.supervisor == supervisor

    def test_an_editor_can_schedule_a_profile_to_go_live_later(self, editor_client, home_page):
        supervisor = build_therapist(slug="dana-demo")
        index = build_therapist_index()
        url = reverse("wagtailadmin_pages:add", args=("therapists", "therapistpage", index.pk))

        response = editor_client.post(url, profile_form(supervisor, go_live_at="2035-01-02 09:00"))

        assert response.status_code == 302
        page = TherapistPage.objects.get(slug="quinn-demo", locale__language_code="en")
        assert not page.live
        assert page.scheduled_revision is not None

    def test_the_admin_form_refuses_an_associate_without_a_supervisor(
        self, editor_client, home_page
    ):
        supervisor = build_therapist(slug="dana-demo")
        index = build_therapist_index()
        url = reverse("wagtailadmin_pages:add", args=("therapists", "therapistpage", index.pk))

        response = editor_client.post(url, profile_form(supervisor, supervisor=""))

        assert response.status_code == 200
        assert "supervisor" in response.context["form"].errors
        assert not TherapistPage.objects.filter(slug="quinn-demo").exists()

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"supervisor": ""}, "supervisor"),
            ({"licence_number": ""}, "licence_number"),
            ({"licence_type": ""}, "licence_type"),
            ({"employed_by_practice": None}, "employed_by_practice"),
        ],
    )
    def test_publishing_an_associate_without_their_disclosure_is_refused(
        self, editor_client, home_page, change, field
    ):
        supervisor = build_therapist(slug="dana-demo")
        associate = build_therapist(
            slug="quinn-demo",
            title="Quinn Demo",
            licence_status=TherapistPage.LicenceStatus.ASSOCIATE,
            licence_number="AMFT 1 (demo)",
            supervisor=supervisor,
        )
        url = reverse("wagtailadmin_pages:edit", args=(associate.pk,))
        form = {k: v for k, v in profile_form(supervisor, **change).items() if v is not None}

        response = editor_client.post(url, form)

        assert response.status_code == 200
        assert field in response.context["form"].errors
        associate.refresh_from_db()
        assert associate.live and associate.supervisor == supervisor
        assert not associate.has_unpublished_changes

    def test_a_supervisor_must_show_their_own_licence(self, editor_client, home_page):
        unlicensed = build_therapist(
            slug="sam-demo",
            licence_status=TherapistPage.LicenceStatus.TRAINEE,
            licence_number="",
            supervisor=build_therapist(slug="dana-demo"),
        )
        index = build_therapist_index()
        url = reverse("wagtailadmin_pages:add", args=("therapists", "therapistpage", index.pk))

        response = editor_client.post(url, profile_form(unlicensed))

        assert "supervisor" in response.context["form"].errors
        assert not TherapistPage.objects.filter(slug="quinn-demo").exists()

    def test_an_editor_can_preview_a_therapist_profile(self, editor_client, home_page):
        supervisor = build_therapist(slug="dana-demo")
        index = build_therapist_index()
        url = reverse(
            "wagtailadmin_pages:preview_on_add", args=("therapists", "therapistpage", index.pk)
        )
        response = editor_client.post(url, profile_form(supervisor))
        assert response.json()["is_valid"] is True
        assert "Quinn works with trauma" in editor_client.get(url).content.decode()

    @pytest.mark.parametrize("model", ["specialty", "modality", "language"])
    def test_an_editor_can_list_search_and_add_taxonomy_snippets(self, editor_client, model):
        listing = reverse(f"wagtailsnippets_therapists_{model}:list")
        assert editor_client.get(listing).status_code == 200
        assert editor_client.get(listing, {"q": "a"}).status_code == 200
        add = reverse(f"wagtailsnippets_therapists_{model}:add")
        response = editor_client.post(add, {"name": "Demo entry", "slug": "demo-entry"})
        assert response.status_code == 302

    def test_specialties_listing_exports_to_csv(self, editor_client):
        listing = reverse("wagtailsnippets_therapists_specialty:list")
        response = editor_client.get(listing, {"export": "csv"})
        assert response.status_code == 200
        body = b"".join(response.streaming_content).decode()
        assert "Sex work–affirming therapy" in body

    def test_taxonomy_csv_export_keeps_formula_like_names_as_text(self, editor_client):
        Specialty.objects.create(name='=HYPERLINK("http://x.example","Click")', slug="formula")
        listing = reverse("wagtailsnippets_therapists_specialty:list")
        response = editor_client.get(listing, {"export": "csv", "q": "formula"})
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert rows[1:] == [['\'=HYPERLINK("http://x.example","Click")', "formula"]]

    def test_someone_outside_editors_cannot_manage_taxonomies(self, client, db):
        user = User.objects.create_user(username="nobody", password="not-used-here-123")
        client.force_login(user)
        listing = reverse("wagtailsnippets_therapists_specialty:list")
        assert client.get(listing).status_code in (302, 403)


@pytest.mark.django_db
def test_the_practice_specialties_are_seeded_by_migration():
    names = set(Specialty.objects.values_list("name", flat=True))
    assert {
        "LGBTQIA+ affirmative therapy",
        "Couples therapy and premarital counselling",
        "Grief and loss",
        "Group therapy",
        "Trauma",
        "Women’s issues",
        "Depression and anxiety",
        "Substance use",
        "Mindfulness and embodiment",
        "Support for creatives",
        "Sex work–affirming therapy",
        "Consultation and supervision for therapists",
    } <= names


@pytest.mark.django_db
def test_editors_publish_under_the_therapist_index_and_not_elsewhere(home_page):
    editor = User.objects.create_user("pat", password="a-long-test-password")
    editor.groups.add(Group.objects.get(name="Editors"))
    index = build_therapist_index(home_page)
    assert index.permissions_for_user(editor).can_publish_subpage()
    assert not Page.objects.get(pk=home_page.pk).permissions_for_user(editor).can_publish()
