"""`seed_therapists`: the demo directory, safe to run again."""

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model

from therapists.models import Specialty, TherapistIndexPage, TherapistPage


@pytest.mark.django_db
def test_seed_therapists_builds_the_contracted_demo_directory_and_is_idempotent(home_page):
    call_command("seed_therapists", verbosity=0)
    counts = (
        TherapistPage.objects.count(),
        get_image_model().objects.count(),
        Specialty.objects.count(),
    )
    call_command("seed_therapists", verbosity=0)
    assert counts == (
        TherapistPage.objects.count(),
        get_image_model().objects.count(),
        Specialty.objects.count(),
    )

    index = TherapistIndexPage.objects.get()
    assert index.url == "/therapists/"
    people = {page.slug: page for page in TherapistPage.objects.live().child_of(index)}
    assert set(people) == {
        "maren-okafor",
        "daniel-reyes-whitlock",
        "priya-castellanos",
        "jonah-vey",
    }
    daniel = people["daniel-reyes-whitlock"]
    assert people["maren-okafor"].supervisor == daniel
    assert people["jonah-vey"].supervisor == daniel
    assert people["maren-okafor"].pronouns == "she/her"
    assert "sex-work-affirming-therapy" in people["maren-okafor"].specialties.values_list(
        "slug", flat=True
    )
    assert "sex industry" in people["maren-okafor"].long_bio
    for page in people.values():
        page.full_clean()  # every demo profile passes the rules editors are held to
        assert page.photo is not None and page.photo_alt
        assert "Demo profile" in page.long_bio


@pytest.mark.django_db
def test_seeded_directory_and_profiles_render(client, home_page):
    call_command("seed_therapists", verbosity=0)
    assert client.get("/therapists/").status_code == 200
    for slug in ("maren-okafor", "daniel-reyes-whitlock", "priya-castellanos", "jonah-vey"):
        assert client.get(f"/therapists/{slug}/").status_code == 200
    html = client.get("/therapists/maren-okafor/").content.decode()
    assert 'Supervised by <a href="/therapists/daniel-reyes-whitlock/">' in html
