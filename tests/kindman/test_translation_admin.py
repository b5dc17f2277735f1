"""Editors translate pages from the admin: "Translate this page" on every page they may edit,
and a "Not yet in Spanish" report. Care coordinators get neither; both groups keep every other
permission they had."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission

from blog.factories import build_blog_index, build_post
from kindman.factories import build_standard_page, translate_page
from tests.consultations.helpers import staff_user

pytestmark = pytest.mark.django_db

# What each group could do before Spanish arrived (their migrations up to kindman 0007).
EDITORS_BEFORE = {
    *(
        f"therapists.{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for model in ("language", "modality", "specialty")
    ),
    "wagtailadmin.access_admin",
    *(f"wagtaildocs.{action}_document" for action in ("add", "change", "choose", "delete")),
    *(f"wagtailimages.{action}_image" for action in ("add", "change", "choose", "delete")),
}
CARE_COORDINATORS_BEFORE = {
    *(
        f"consultations.{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for model in ("availabilityexception", "coordinator", "infosession")
    ),
    "consultations.add_consultation",
    "consultations.change_consultation",
    "consultations.view_consultation",
    "consultations.change_bookingrules",
    "consultations.change_sessionregistration",
    "consultations.view_sessionregistration",
    "kindman.change_emaildelivery",
    "kindman.view_emaildelivery",
    "wagtailadmin.access_admin",
    "wagtaildocs.choose_document",
}


def group_permissions(name: str) -> set[str]:
    return {
        f"{permission.content_type.app_label}.{permission.codename}"
        for permission in Group.objects.get(name=name).permissions.select_related("content_type")
    }


@pytest.fixture
def section(home_page):
    index = build_blog_index(home_page)
    post = build_post(index, slug="a-post")
    return index, post


def test_editors_may_translate_and_keep_what_they_had(home_page):
    assert group_permissions("Editors") == EDITORS_BEFORE | {"wagtail_localize.submit_translation"}


def test_care_coordinators_get_nothing_to_do_with_translation_or_pages(home_page):
    assert group_permissions("Care coordinators") == CARE_COORDINATORS_BEFORE
    assert not GroupPagePermission.objects.filter(group__name="Care coordinators").exists()


def test_editors_publish_in_the_spanish_section_as_in_the_english(section):
    index, _post = section
    spanish_index = translate_page(index)
    granted = set(
        GroupPagePermission.objects.filter(group__name="Editors", page=spanish_index).values_list(
            "permission__codename", flat=True
        )
    )
    assert granted == {"add_page", "change_page", "publish_page"}


def test_an_editor_sees_translate_this_page_on_a_page_they_edit(client, section):
    _index, post = section
    client.force_login(staff_user("editor", "Editors"))
    html = client.get(reverse("wagtailadmin_pages:edit", args=[post.pk])).content.decode()
    assert "Translate this page" in html
    assert reverse("wagtail_localize:submit_page_translation", args=[post.pk]) in html


def test_the_report_lists_pages_not_yet_in_spanish(client, section, home_page):
    index, post = section
    about = build_standard_page(home_page)
    translate_page(home_page, title="Inicio")
    translate_page(index)
    client.force_login(staff_user("editor", "Editors"))
    response = client.get(reverse("kindman_untranslated_pages"))
    assert response.status_code == 200
    listed = {page.pk for page in response.context["pages"]}
    assert {post.pk, about.pk} <= listed
    assert home_page.pk not in listed and index.pk not in listed
    assert "Not yet in Spanish" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_care_coordinators_cannot_open_the_report_or_submit_translations(client, section):
    _index, post = section
    client.force_login(staff_user("coord", "Care coordinators"))
    assert client.get(reverse("kindman_untranslated_pages")).status_code in (302, 403)
    submit = reverse("wagtail_localize:submit_page_translation", args=[post.pk])
    assert client.get(submit).status_code in (302, 403)


def test_only_staff_who_translate_see_the_translations_report_in_the_menu(client, home_page):
    report = reverse("wagtail_localize:translations_report")
    client.force_login(staff_user("coord", "Care coordinators"))
    assert report not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(staff_user("editor", "Editors"))
    assert report in client.get(reverse("wagtailadmin_home")).content.decode()
