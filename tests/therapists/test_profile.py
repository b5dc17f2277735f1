"""A therapist's profile page: what a prospective client reads, and the way to book."""

import json
import re

import pytest

from blog.factories import build_blog_index, build_post
from tests.kindman.test_queries import READING_PAGE_QUERIES
from therapists.factories import build_portrait, build_therapist
from therapists.models import Specialty, TherapistPage


@pytest.fixture
def supervisor(home_page):
    return build_therapist(
        slug="dana-demo", title="Dana Demo", credentials="LMFT", pronouns="she/her"
    )


@pytest.fixture
def trainee(supervisor):
    return build_therapist(
        slug="robin-demo",
        title="Robin Demo",
        pronouns="he/they",
        role="Graduate Student Trainee Therapist",
        credentials="MA candidate",
        licence_status=TherapistPage.LicenceStatus.TRAINEE,
        licence_number="",
        supervisor=supervisor,
        short_bio="Robin offers low-fee sessions for anxiety and burnout.",
        long_bio="<p>Robin listens for what is underneath the burnout.</p>",
        photo=build_portrait("Robin Demo"),
        photo_alt="Abstract portrait in green with the initials RD",
        specialties=["Depression and anxiety", "Sex work–affirming therapy"],
        modalities=["Narrative therapy"],
        languages=["English", "Tagalog"],
        affirming_identities="Sex workers, queer and trans people",
        works_with_couples=True,
        age_ranges="Adults 18+",
        offers_in_person=False,
        sliding_scale=True,
        fee_note="Low-fee sessions from $40.",
    )


@pytest.mark.django_db
class TestProfilePage:
    def test_shows_everything_a_prospective_client_needs(self, client, trainee):
        response = client.get("/therapists/robin-demo/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "<h1>Robin Demo</h1>" in html
        assert "Pronouns: he/they" in html
        assert "Graduate Student Trainee Therapist, MA candidate" in html
        assert 'alt="Abstract portrait in green with the initials RD"' in html
        assert "Robin listens for what is underneath the burnout." in html
        for text in (
            "<li>Depression and anxiety</li>",
            "<li>Sex work–affirming therapy</li>",
            "<li>Narrative therapy</li>",
            "English, Tagalog",
            "Sex workers, queer and trans people",
            "Individuals, couples (Adults 18+)",
            "<dd>Online</dd>",  # in-person sessions are switched off for Robin
            "Low-fee sessions from $40. Offers a sliding scale.",
            "Accepting new clients",
        ):
            assert text in html, text

    def test_trainee_profile_links_to_the_supervisor(self, client, trainee, supervisor):
        html = client.get("/therapists/robin-demo/").content.decode()
        assert (
            'Supervised by <a href="/therapists/dana-demo/">Dana Demo</a>, Licensed Marriage and '
            "Family Therapist, license LMFT 000000 (demo)."
        ) in html

    def test_licensed_profile_shows_the_licence_number_and_no_supervision(self, client, supervisor):
        html = client.get("/therapists/dana-demo/").content.decode()
        assert (
            "Licensed Marriage and Family Therapist: California license LMFT 000000 (demo)"
        ) in html
        assert 'href="https://search.dca.ca.gov/"' in html
        assert "Supervised by" not in html

    def test_a_spanish_page_names_the_licence_in_spanish(self, client, trainee, supervisor):
        # Robin's Spanish page is the alias wagtail-localize keeps until the profile is translated.
        html = client.get("/es/therapists/dana-demo/").content.decode()
        assert "Terapeuta matrimonial y familiar con licencia: licencia de California LMFT" in html
        trainee_html = client.get("/es/therapists/robin-demo/").content.decode()
        assert "Dana Demo</a>, Terapeuta matrimonial y familiar con licencia, licencia LMFT" in (
            trainee_html
        )
        assert "California license" not in html + trainee_html  # the role above is content

    @pytest.mark.parametrize("how", ["unpublished", "deleted"])
    def test_a_supervisor_who_is_gone_never_breaks_the_profile(
        self, client, trainee, supervisor, how
    ):
        if how == "unpublished":
            supervisor.unpublish()
        else:
            supervisor.delete()
        response = client.get("/therapists/robin-demo/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "/therapists/dana-demo/" not in html
        if how == "unpublished":  # still their supervisor: the disclosure names them
            assert "Supervised by Dana Demo, Licensed Marriage and Family Therapist" in html
        else:
            assert "Supervised by a licensed therapist of the practice." in html

    def test_meta_description_and_open_graph_come_from_the_short_bio(self, client, trainee):
        html = client.get("/therapists/robin-demo/").content.decode()
        description = "Robin offers low-fee sessions for anxiety and burnout."
        assert f'<meta name="description" content="{description}">' in html
        assert f'<meta property="og:description" content="{description}">' in html
        assert '<meta property="og:type" content="profile">' in html
        assert '<link rel="canonical" href="http://testserver/therapists/robin-demo/">' in html
        assert '<meta property="og:image" content="http://testserver/media/images/' in html

    def test_lists_the_therapists_live_posts_under_a_labelled_heading(self, client, trainee):
        assert "Writing by Robin Demo" not in client.get("/therapists/robin-demo/").content.decode()
        index = build_blog_index()
        build_post(index, slug="on-rest", title="On Rest", authors=[trainee])
        build_post(index, slug="a-draft", title="A Draft", authors=[trainee], publish=False)
        html = client.get("/therapists/robin-demo/").content.decode()
        assert '<h2 id="posts-by-author-heading">Writing by Robin Demo</h2>' in html
        assert 'href="/blog/on-rest/">On Rest</a>' in html
        assert "A Draft" not in html

    def test_book_a_free_consultation_preselects_this_therapist(self, client, trainee):
        html = client.get("/therapists/robin-demo/").content.decode()
        assert (
            f'<a class="button" href="/consultation/?therapist={trainee.pk}">'
            "Book a free consultation</a>"
        ) in html

    def test_sets_no_cookie_and_loads_nothing_from_other_origins(self, client, trainee):
        response = client.get("/therapists/robin-demo/")
        assert not response.cookies
        html = response.content.decode()
        for attribute in ('src="http', 'src="//', 'href="//', 'srcset="http'):
            assert attribute not in html

    def test_query_count_is_bounded_for_rich_bare_and_prolific_profiles(
        self, client, trainee, django_assert_max_num_queries
    ):
        build_therapist(slug="bare-demo", title="Bare Demo")

        def queries_for(url, most):
            client.get(url)
            with django_assert_max_num_queries(most) as captured:
                assert client.get(url).status_code == 200
            return len(captured.captured_queries)

        rich = queries_for("/therapists/robin-demo/", READING_PAGE_QUERIES)
        queries_for("/therapists/bare-demo/", rich)

        index = build_blog_index()
        for number in range(10):
            build_post(index, slug=f"post-{number}", authors=[trainee])
            build_therapist(slug=f"colleague-{number}", specialties=[f"Specialty {number}"])
        trainee.specialties.add(*Specialty.objects.all())
        trainee.save_revision().publish()
        queries_for("/therapists/robin-demo/", rich)


@pytest.mark.django_db
class TestProfileStructuredData:
    def data(self, client, path: str) -> dict:
        html = client.get(path).content.decode()
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        (profile,) = [d for d in map(json.loads, blocks) if d.get("@type") == "ProfilePage"]
        return profile

    def test_a_profile_is_a_profilepage_about_a_person_of_the_practice(self, client, trainee):
        data = self.data(client, "/therapists/robin-demo/")
        assert data["@context"] == "https://schema.org"
        assert data["url"] == "http://testserver/therapists/robin-demo/"
        assert data["dateModified"][-6:] in ("-07:00", "-08:00")
        person = data["mainEntity"]
        assert person["@type"] == "Person" and person["name"] == "Robin Demo"
        assert person["jobTitle"] == "Graduate Student Trainee Therapist"
        assert person["honorificSuffix"] == "MA candidate"
        assert person["image"].startswith("http://testserver/")
        assert person["worksFor"]["@type"] == "MedicalBusiness"
        assert person["worksFor"]["url"] == "http://testserver/"
        assert "hasCredential" not in person  # a trainee holds no licence yet

    def test_a_licence_is_a_credential_recognised_by_the_board(self, client, supervisor):
        person = self.data(client, "/therapists/dana-demo/")["mainEntity"]
        credential = person["hasCredential"]
        assert credential["@type"] == "EducationalOccupationalCredential"
        assert credential["credentialCategory"] == "license"
        assert credential["identifier"] == "LMFT 000000 (demo)"
        assert credential["recognizedBy"]["name"] == "California Board of Behavioral Sciences"
