"""The page tree editors work within, and the rules a profile must meet before it is saved."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils import WagtailPageTestCase

from kindman.models import HomePage
from therapists.factories import build_portrait, build_therapist
from therapists.models import TherapistIndexPage, TherapistPage


class TherapistPageTreeTests(WagtailPageTestCase):
    def test_the_directory_lives_under_the_home_page_only_and_once(self):
        self.assertAllowedParentPageTypes(TherapistIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(TherapistIndexPage, {TherapistPage})
        self.assertEqual(TherapistIndexPage.max_count, 1)

    def test_therapist_pages_live_in_the_directory_and_have_no_children(self):
        self.assertAllowedParentPageTypes(TherapistPage, {TherapistIndexPage})
        self.assertAllowedSubpageTypes(TherapistPage, set())

    def test_the_home_page_accepts_the_directory(self):
        self.assertCanCreateAt(HomePage, TherapistIndexPage)


def unsaved_therapist(**fields) -> TherapistPage:
    values = {
        "title": "Sam Demo",
        "slug": "sam-demo",
        "role": "Licensed Marriage and Family Therapist",
        "licence_status": TherapistPage.LicenceStatus.LICENSED,
        "licence_type": "LMFT",
        "licence_number": "LMFT 1 (demo)",
        "short_bio": "A demo.",
    }
    values.update(fields)
    return TherapistPage(**values)


@pytest.mark.django_db
class TestProfileValidation:
    def test_a_complete_licensed_profile_is_valid(self):
        unsaved_therapist().clean()

    def test_a_photo_needs_alt_text(self):
        page = unsaved_therapist(photo=build_portrait("Sam Demo"), photo_alt="  ")
        with pytest.raises(ValidationError) as error:
            page.clean()
        assert "photo_alt" in error.value.message_dict

    def test_a_licensed_therapist_needs_a_licence_number(self):
        with pytest.raises(ValidationError) as error:
            unsaved_therapist(licence_number="").clean()
        assert "licence_number" in error.value.message_dict

    def test_trainees_need_a_supervisor_and_no_licence(self):
        trainee = {"licence_status": TherapistPage.LicenceStatus.TRAINEE, "licence_type": ""}
        with pytest.raises(ValidationError) as error:
            unsaved_therapist(**trainee, licence_number="").clean()
        assert "supervisor" in error.value.message_dict

        supervisor = build_therapist(slug="supervisor-demo")
        unsaved_therapist(**trainee, licence_number="", supervisor=supervisor).clean()
        with pytest.raises(ValidationError) as error:
            unsaved_therapist(**{**trainee, "licence_type": "LMFT"}, supervisor=supervisor).clean()
        assert "licence_type" in error.value.message_dict

    def test_an_associate_shows_registration_employer_and_licensed_supervisor(self):
        supervisor = build_therapist(slug="supervisor-demo")
        associate = {
            "licence_status": TherapistPage.LicenceStatus.ASSOCIATE,
            "licence_type": "AMFT",
            "licence_number": "AMFT 2 (demo)",
            "employed_by_practice": True,
            "supervisor": supervisor,
        }
        unsaved_therapist(**associate).clean()
        for field, missing in [
            ("licence_type", "LMFT"),  # a licence, not a registration
            ("licence_number", " "),
            ("employed_by_practice", False),
            ("supervisor", None),
        ]:
            with pytest.raises(ValidationError) as error:
                unsaved_therapist(**{**associate, field: missing}).clean()
            assert list(error.value.message_dict) == [field]

    def test_a_licensed_therapist_names_a_licence_not_a_registration(self):
        with pytest.raises(ValidationError) as error:
            unsaved_therapist(licence_type="AMFT").clean()
        assert "licence_type" in error.value.message_dict


@pytest.mark.django_db
class TestDirectoryQuerySet:
    def test_matching_combines_filters_and_any_specialty_will_do(self):
        grief = build_therapist(slug="grief-demo", specialties=["Grief and loss"])
        trauma = build_therapist(
            slug="trauma-demo", specialties=["Trauma"], works_with_couples=True
        )
        build_therapist(slug="other-demo", specialties=["Substance use"])
        pages = TherapistPage.objects.live()

        either = pages.matching(specialties=["grief-and-loss", "trauma"])
        assert set(either) == {grief, trauma}
        both = pages.matching(specialties=["grief-and-loss", "trauma"], works_with="couples")
        assert list(both) == [trauma]
