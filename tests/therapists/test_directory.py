"""The therapist directory at /therapists/: filters in the query string, forgiving of bad input,
cookie-free, and a fixed number of queries however many therapists there are."""

import re
from html import unescape

import pytest

from tests.kindman.test_queries import READING_PAGE_QUERIES
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
        assert 'href="/therapists/#results-heading">Clear filters</a>' in html
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
        assert '<form method="get" action="/therapists/#results-heading"' in html
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


CHIP = re.compile(
    r'<a class="chip" href="([^"]+)"><span class="visually-hidden">Remove filter: </span>([^<]+)<'
)


def chips(html: str) -> list[tuple[str, str]]:
    """(link, label) of each removable filter chip on the page."""
    return [(unescape(href), unescape(label)) for href, label in CHIP.findall(html)]


@pytest.mark.django_db
class TestActiveFilterChips:
    def test_each_applied_filter_is_a_chip_whose_link_removes_only_it(self, client, therapists):
        query = "specialty=trauma&specialty=grief-and-loss&works_with=groups&language=spanish"
        response = client.get(f"/therapists/?{query}&accepting=on&page=2&junk=1")
        html = response.content.decode()
        assert chips(html) == [
            (
                "/therapists/?specialty=grief-and-loss&works_with=groups&language=spanish"
                "&accepting=on#results-heading",
                "Trauma",
            ),
            (
                "/therapists/?specialty=trauma&works_with=groups&language=spanish"
                "&accepting=on#results-heading",
                "Grief and loss",
            ),
            (
                "/therapists/?specialty=trauma&specialty=grief-and-loss&language=spanish"
                "&accepting=on#results-heading",
                "Works with: Groups",
            ),
            (
                "/therapists/?specialty=trauma&specialty=grief-and-loss&works_with=groups"
                "&accepting=on#results-heading",
                "Language: Spanish",
            ),
            (
                "/therapists/?specialty=trauma&specialty=grief-and-loss&works_with=groups"
                "&language=spanish#results-heading",
                "Accepting new clients",
            ),
        ]
        assert '<a class="active-filters__clear" href="/therapists/#results-heading">' in html
        assert re.search(r'<span class="filter-panel__count">5 active</span>', html)
        assert not response.cookies

    def test_the_last_chip_leads_back_to_the_whole_directory(self, client, therapists):
        html = client.get("/therapists/?format=online").content.decode()
        assert chips(html) == [("/therapists/#results-heading", "Sessions: Online")]
        assert re.search(r'<span class="filter-panel__count">1 active</span>', html)

    @pytest.mark.parametrize("query", ["", "?specialty=nope&works_with=aliens&page=2"])
    def test_no_chips_and_no_count_without_a_filter(self, client, therapists, query):
        html = client.get(f"/therapists/{query}").content.decode()
        assert 'class="chip"' not in html
        assert "Clear all" not in html
        assert "filter-panel__count" not in html

    def test_the_filters_sit_in_a_closed_panel_with_the_results_after_it(self, client, therapists):
        html = client.get("/therapists/?accepting=on").content.decode()
        panel = re.search(r'<details class="filter-panel[^"]*">', html)
        assert panel, "the filters are in a <details> panel"
        assert "open" not in panel.group(0)
        assert html.index("<summary") < html.index('<form method="get"')
        assert html.index("</details>") < html.index('id="results-heading"')


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
        assert '<link rel="canonical" href="http://testserver/therapists/">' in html

    def test_query_count_does_not_grow_with_the_number_of_therapists(
        self, client, home_page, django_assert_max_num_queries
    ):
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

        def queries_for(url, most):
            client.get(url)  # renders the image renditions once, as a live site would have
            with django_assert_max_num_queries(most) as captured:
                response = client.get(url)
            assert response.status_code == 200
            return len(captured.captured_queries), len(names_listed(response))

        filtered = "/therapists/?specialty=trauma&format=online"
        add_therapists(0, 2)
        few = [queries_for(url, READING_PAGE_QUERIES) for url in ("/therapists/", filtered)]
        add_therapists(2, 20)
        most = max(count for count, _ in few)
        many = [
            queries_for(url, most)
            for url in ("/therapists/", filtered, "/therapists/?page=2", f"{filtered}&page=2")
        ]

        assert [listed for _, listed in few] == [2, 2]
        assert [listed for _, listed in many] == [12, 12, 8, 8]


def build_many(count: int, prefix: str = "many", **fields) -> list[str]:
    """`count` therapists, listed in the order they were added; their names."""
    names = []
    for number in range(count):
        therapist = build_therapist(slug=f"{prefix}-{number:03}", **fields)
        names.append(therapist.title)
    return names


def page_links(response) -> dict[str, str]:
    """The pagination nav's links: their text (e.g. "Page 2", "Next page") to their href."""
    html = response.content.decode()
    nav = re.search(
        r'<nav class="pagination" aria-label="Pages of therapists">(.*?)</nav>', html, re.S
    )
    if nav is None:
        return {}
    links = re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', nav.group(1), re.S)
    return {
        re.sub(r"<[^>]+>", "", text).strip(): href.replace("&amp;", "&") for href, text in links
    }


@pytest.mark.django_db
class TestDirectoryPages:
    def test_twelve_a_page_in_order_and_every_therapist_on_exactly_one_page(
        self, client, home_page
    ):
        names = build_many(26)
        pages = [names_listed(client.get(f"/therapists/?page={n}")) for n in (1, 2, 3)]
        assert [len(page) for page in pages] == [12, 12, 2]
        assert [name for page in pages for name in page] == names

    def test_each_page_says_where_it_is_and_the_total_stays_in_the_heading(self, client, home_page):
        build_many(26)
        html = client.get("/therapists/?page=2").content.decode()
        assert re.search(
            r'<h2 id="results-heading" class="results-heading">\s*26 therapists\s*</h2>', html
        )
        assert "Showing 13 to 24, page 2 of 3" in html
        assert "Jump to the 26 therapists found" in html
        assert "<title>Our therapists (page 2) · " in html
        assert "<title>Our therapists · " in client.get("/therapists/").content.decode()

    def test_links_to_every_page_with_the_current_one_marked(self, client, home_page):
        build_many(26)
        response = client.get("/therapists/?page=2")
        assert page_links(response) == {
            "Previous page": "/therapists/#results-heading",
            "Page 1": "/therapists/#results-heading",
            "Page 2": "/therapists/?page=2#results-heading",
            "Page 3": "/therapists/?page=3#results-heading",
            "Next page": "/therapists/?page=3#results-heading",
        }
        html = response.content.decode()
        assert re.findall(r'<a href="([^"]+)" aria-current="page">', html) == [
            "/therapists/?page=2#results-heading"
        ]
        assert 'rel="prev"' not in html and 'rel="next"' not in html

    def test_first_and_last_pages_have_no_link_beyond_them(self, client, home_page):
        build_many(26)
        assert "Previous page" not in page_links(client.get("/therapists/"))
        assert "Next page" not in page_links(client.get("/therapists/?page=3"))

    def test_many_pages_keep_the_first_the_last_and_the_neighbours(self, client, home_page):
        build_many(12 * 10)
        response = client.get("/therapists/?page=5")
        assert [text for text in page_links(response) if text.startswith("Page")] == [
            "Page 1", "Page 4", "Page 5", "Page 6", "Page 10"
        ]  # fmt: skip
        assert response.content.decode().count('<li aria-hidden="true">…</li>') == 2

    def test_page_links_keep_the_filters_and_drop_what_was_not_a_filter(self, client, home_page):
        build_many(13, specialties=["Trauma"], accepting_new_clients=True)
        build_many(2, "other", specialties=["Grief and loss"])  # filtered out below
        response = client.get(
            "/therapists/?accepting=on&specialty=trauma&specialty=nope&utm_source=x&page=1"
        )
        assert len(names_listed(response)) == 12
        assert page_links(response) == {
            "Page 1": "/therapists/?specialty=trauma&accepting=on#results-heading",
            "Page 2": "/therapists/?specialty=trauma&accepting=on&page=2#results-heading",
            "Next page": "/therapists/?specialty=trauma&accepting=on&page=2#results-heading",
        }
        following = client.get("/therapists/?specialty=trauma&accepting=on&page=2")
        assert len(names_listed(following)) == 1
        assert "13 therapists match your filters" in following.content.decode()

    def test_one_page_of_results_has_no_page_links(self, client, home_page):
        build_many(12)
        html = client.get("/therapists/").content.decode()
        assert len(names_listed(client.get("/therapists/"))) == 12
        assert 'aria-label="Pages of therapists"' not in html
        assert "Showing" not in html

    @pytest.mark.parametrize(
        ("page", "shown"),
        [
            ("3", 3),
            ("99", 3),  # past the end: the last page
            ("99999999999999999999999", 3),
            ("0", 3),
            ("-1", 3),
            ("abc", 1),  # not a number: the first page
            ("1.5", 1),
            ("", 1),
            ("%00", 1),
            ("%202%0A", 2),  # Python's int() reads a number between spaces
            ("٢", 2),  # and a two in any script
        ],
    )
    def test_any_page_value_answers_a_real_page_not_an_error(self, client, home_page, page, shown):
        build_many(26)
        response = client.get(f"/therapists/?page={page}")
        assert response.status_code == 200
        html = response.content.decode()
        assert f"page {shown} of 3" in html
        expected = "http://testserver/therapists/" + (f"?page={shown}" if shown > 1 else "")
        assert f'<link rel="canonical" href="{expected}">' in html

    def test_each_page_of_the_whole_list_is_its_own_canonical_page(self, client, home_page):
        build_many(26, specialties=["Trauma"])

        def canonical(url):
            html = client.get(url).content.decode()
            return re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)

        assert canonical("/therapists/") == "http://testserver/therapists/"
        assert canonical("/therapists/?page=1") == "http://testserver/therapists/"
        assert canonical("/therapists/?page=2") == "http://testserver/therapists/?page=2"
        # A filtered list is a variation of the directory, whichever page of it.
        assert canonical("/therapists/?specialty=trauma&page=2") == "http://testserver/therapists/"

    def test_a_page_of_the_directory_is_cached_and_a_new_therapist_shows_at_once(
        self, client, home_page, settings, django_assert_num_queries
    ):
        settings.PAGE_CACHE_ENABLED = True
        build_many(24)
        assert client.get("/therapists/?page=2").status_code == 200
        with django_assert_num_queries(0):
            hit = client.get("/therapists/?page=2")
        assert hit["X-Page-Cache"] == "hit"
        assert "rel=preload" in hit["Link"]
        build_therapist(slug="newly-published", title="Newly Published")
        response = client.get("/therapists/?page=3")
        assert names_listed(response) == ["Newly Published"]
        assert "X-Page-Cache" not in client.get("/therapists/?page=2")
