"""The therapist directory at /therapists/: filters in the query string, forgiving of bad input,
cookie-free, and a fixed number of queries however many therapists there are."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from therapists.factories import build_portrait, build_therapist, build_therapist_index


def names_listed(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'class="therapist-card__name"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def therapists(home_page):
    """Four therapists who differ on every filter."""
    return {
        "grief": build_therapist(
            slug="gale-demo",
            title="Gale Demo",
            specialties=["Grief and loss"],
            languages=["Spanish"],
            works_with_individuals=True,
            offers_in_person=True,
            offers_online=False,
            sliding_scale=True,
            accepting_new_clients=True,
        ),
        "couples": build_therapist(
            slug="cory-demo",
            title="Cory Demo",
            specialties=["Couples therapy and premarital counselling"],
            languages=["English"],
            works_with_individuals=False,
            works_with_couples=True,
            offers_in_person=False,
            offers_online=True,
            accepting_new_clients=False,
        ),
        "trauma": build_therapist(
            slug="tam-demo",
            title="Tam Demo",
            specialties=["Trauma", "Grief and loss"],
            languages=["English", "Spanish"],
            works_with_groups=True,
            offers_online=True,
            sliding_scale=True,
            accepting_new_clients=False,
        ),
        "families": build_therapist(
            slug="fen-demo",
            title="Fen Demo",
            specialties=["Substance use"],
            works_with_families=True,
            offers_in_person=True,
            offers_online=False,
        ),
    }


ALL = ["Cory Demo", "Fen Demo", "Gale Demo", "Tam Demo"]


@pytest.mark.django_db
class TestDirectoryFilters:
    def test_unfiltered_directory_lists_every_live_therapist(self, client, therapists):
        therapists["families"].unpublish()
        response = client.get("/therapists/")
        assert response.status_code == 200
        assert sorted(names_listed(response)) == ["Cory Demo", "Gale Demo", "Tam Demo"]
        assert "3 therapists" in response.content.decode()
        assert "Clear filters" not in response.content.decode()

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("specialty=trauma", ["Tam Demo"]),
            ("specialty=grief-and-loss", ["Gale Demo", "Tam Demo"]),
            ("specialty=trauma&specialty=substance-use", ["Fen Demo", "Tam Demo"]),
            ("works_with=couples", ["Cory Demo"]),
            ("works_with=families", ["Fen Demo"]),
            ("works_with=groups", ["Tam Demo"]),
            ("works_with=individuals", ["Fen Demo", "Gale Demo", "Tam Demo"]),
            ("format=online", ["Cory Demo", "Tam Demo"]),
            ("format=in_person", ["Fen Demo", "Gale Demo", "Tam Demo"]),
            ("language=spanish", ["Gale Demo", "Tam Demo"]),
            ("sliding_scale=on", ["Gale Demo", "Tam Demo"]),
            ("accepting=on", ["Fen Demo", "Gale Demo"]),
            ("specialty=grief-and-loss&accepting=on", ["Gale Demo"]),
            ("specialty=grief-and-loss&format=online&language=english", ["Tam Demo"]),
            ("language=spanish&sliding_scale=on&works_with=groups", ["Tam Demo"]),
        ],
    )
    def test_each_filter_and_combinations_narrow_the_list(
        self, client, therapists, query, expected
    ):
        response = client.get(f"/therapists/?{query}")
        assert response.status_code == 200
        assert sorted(names_listed(response)) == expected
        html = response.content.decode()
        assert 'href="/therapists/">Clear filters</a>' in html
        assert f"{len(expected)} therapist" in html

    def test_applied_filters_stay_ticked_in_the_form(self, client, therapists):
        html = client.get("/therapists/?specialty=trauma&format=online&accepting=on").content
        html = html.decode()
        assert re.search(r'value="trauma" id="id_specialty_\d+" checked', html)
        assert 'value="online" id="id_format_2" checked' in html
        assert 'name="accepting" id="id_accepting" checked' in html

    @pytest.mark.parametrize(
        "query",
        [
            "specialty=%00&works_with=../x&format[]=1",
            "specialty=no-such-thing",
            "works_with=everyone&format=carrier-pigeon&language=klingon",
            "language=%00&sliding_scale=%00&accepting=%ff",
            "specialty=" + "x" * 5000,
            "specialty[]=trauma&works_with=1&works_with=2",
            "%zz=%zz&=&&&",
        ],
    )
    def test_unknown_or_malformed_values_are_ignored_not_an_error(self, client, therapists, query):
        response = client.get(f"/therapists/?{query}")
        assert response.status_code == 200
        assert len(names_listed(response)) >= 1
        assert "errorlist" not in response.content.decode()

    def test_a_bad_value_is_dropped_and_the_good_ones_still_apply(self, client, therapists):
        response = client.get("/therapists/?specialty=trauma&specialty=nope&works_with=../x")
        assert names_listed(response) == ["Tam Demo"]
        assert 'value="" id="id_works_with_0" checked' in response.content.decode()

    def test_no_match_shows_an_empty_state_with_a_way_back(self, client, therapists):
        response = client.get("/therapists/?specialty=trauma&works_with=couples")
        html = response.content.decode()
        assert names_listed(response) == []
        assert "0 therapists match your filters" in html
        assert "No therapist matches all of these filters" in html
        assert 'href="/therapists/">clear all filters</a>' in html

    def test_filter_form_is_a_plain_get_form_with_a_submit_button(self, client, therapists):
        html = client.get("/therapists/").content.decode()
        assert '<form method="get" action="/therapists/"' in html
        assert '<button type="submit"' in html
        assert "<legend>Specialty</legend>" in html
        assert "csrfmiddlewaretoken" not in html

    def test_card_shows_pronouns_role_specialties_formats_and_availability(
        self, client, therapists
    ):
        html = client.get("/therapists/?specialty=trauma").content.decode()
        assert "they/them" in html
        assert "Licensed Marriage and Family Therapist" in html
        assert "<li>Trauma</li>" in html
        assert "In person in Highland Park · Online" in html
        assert "Not accepting new clients" in html
        assert "Speaks English, Spanish" in html


@pytest.mark.django_db
class TestDirectoryIsPublicAndCheap:
    def test_sets_no_cookie_and_loads_nothing_from_other_origins(self, client, therapists):
        for url in ("/therapists/", "/therapists/?specialty=trauma&accepting=on"):
            response = client.get(url)
            assert not response.cookies
            html = response.content.decode()
            for attribute in ('src="http', 'src="//', 'href="//', 'srcset="http'):
                assert attribute not in html

    def test_canonical_url_ignores_the_filters(self, client, therapists):
        html = client.get("/therapists/?specialty=trauma").content.decode()
        assert '<link rel="canonical" href="http://localhost/therapists/">' in html

    def test_query_count_does_not_grow_with_the_number_of_therapists(self, client, home_page):
        build_therapist_index()

        def add_therapists(start, stop):
            for number in range(start, stop):
                build_therapist(
                    slug=f"demo-{number}",
                    specialties=["Trauma", "Grief and loss"],
                    languages=["English"],
                    photo=build_portrait(f"Demo {number}", size=96),
                    photo_alt=f"Abstract portrait {number}",
                )

        def queries_for(url):
            client.get(url)  # renders the image renditions once, as a live site would have
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200
            return len(queries), len(names_listed(response))

        add_therapists(0, 2)
        few = (
            queries_for("/therapists/"),
            queries_for("/therapists/?specialty=trauma&format=online"),
        )
        add_therapists(2, 20)
        many = (
            queries_for("/therapists/"),
            queries_for("/therapists/?specialty=trauma&format=online"),
        )

        assert [listed for _, listed in few] == [2, 2]
        assert [listed for _, listed in many] == [20, 20]
        # The content version (the site, routing, header and filter choices come from memory),
        # then therapists, their specialties, languages and photo renditions.
        assert [count for count, _ in few] == [5, 5]
        assert [count for count, _ in many] == [5, 5]
