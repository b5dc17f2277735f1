"""Every page has a version in each language (a translation, or an alias that shows the
original), so each list of pages shows only the reader's language, and links from a page lead
to the versions in its language: on the demo site, as a visitor meets it."""

import re

import pytest

from tests.kindman.test_seed_spanish import seeded  # noqa: F401 (the demo site)

pytestmark = pytest.mark.django_db


def main_links(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return re.findall(r'href="(/[^"#?]*)"', html[html.index("<main") : html.index("</main>")])


def profiles(links) -> list[str]:
    return [link for link in links if re.match(r"/(es/terapeutas|therapists)/[^/]+/$", link)]


def posts(links) -> list[str]:
    return [link for link in links if re.match(r"/(es/)?blog/[^/]+/$", link)]


def test_each_home_page_shows_each_therapist_and_post_once_in_its_own_language(client, seeded):  # noqa: F811
    english, spanish = main_links(client, "/"), main_links(client, "/es/")

    assert profiles(english) and all(link.startswith("/therapists/") for link in profiles(english))
    assert len(set(profiles(english))) == len(profiles(english))
    assert posts(english) and not any(link.startswith("/es/") for link in posts(english))

    assert profiles(spanish) and all(link.startswith("/es/") for link in profiles(spanish))
    assert "/es/terapeutas/daniel-reyes-whitlock/" in profiles(spanish)
    assert posts(spanish) and all(link.startswith("/es/") for link in posts(spanish))
    assert "/es/blog/por-que-la-terapia-relacional-importa-mas-que-nunca/" in posts(spanish)
    assert len(set(posts(spanish))) == len(posts(spanish))


def test_a_spanish_post_links_to_its_authors_spanish_profile(client, seeded):  # noqa: F811
    url = "/es/blog/por-que-la-terapia-relacional-importa-mas-que-nunca/"
    html = client.get(url).content.decode()
    assert profiles(main_links(client, url)) == ["/es/terapeutas/daniel-reyes-whitlock/"] * 3
    # The structured data names the Spanish profile too.
    structured = "".join(re.findall(r'application/ld\+json">(.*?)</script>', html, re.S))
    assert "/es/terapeutas/daniel-reyes-whitlock/" in structured
    assert "/therapists/daniel-reyes-whitlock/" not in structured


def test_a_profile_lists_its_therapists_posts_in_the_language_being_read(client, seeded):  # noqa: F811
    assert posts(main_links(client, "/therapists/maren-okafor/")) == ["/blog/on-sex-work-therapy/"]
    assert posts(main_links(client, "/es/terapeutas/daniel-reyes-whitlock/")) == [
        "/es/blog/por-que-la-terapia-relacional-importa-mas-que-nunca/"
    ]


def preferred_therapists(client, url) -> list[tuple[str, str]]:
    html = client.get(url).content.decode()
    select = re.search(r'<select name="preferred_therapist".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d+)"([^>]*)>([^<]*)', select)


@pytest.mark.parametrize("url", ["/consultation/", "/es/consultation/"])
def test_the_booking_form_offers_each_therapist_once(client, seeded, url):  # noqa: F811
    names = [name for _pk, _attrs, name in preferred_therapists(client, url)]
    assert names and len(names) == len(set(names)), names


def test_booking_from_a_spanish_profile_preselects_that_therapist(client, seeded):  # noqa: F811
    html = client.get("/es/terapeutas/daniel-reyes-whitlock/").content.decode()
    book = re.search(r'href="(/es/consultation/\?therapist=\d+)"', html).group(1)
    chosen = [
        name for _pk, attrs, name in preferred_therapists(client, book) if "selected" in attrs
    ]
    assert chosen == ["Daniel Reyes-Whitlock"]
    # The English profile's link, followed after switching to Spanish, chooses the same person.
    english = re.search(
        r"\?therapist=(\d+)", client.get("/therapists/daniel-reyes-whitlock/").content.decode()
    ).group(1)
    options = preferred_therapists(client, f"/es/consultation/?therapist={english}")
    assert [name for _pk, attrs, name in options if "selected" in attrs] == [
        "Daniel Reyes-Whitlock"
    ]


def test_search_finds_each_page_once_in_the_language_being_read(client, seeded):  # noqa: F811
    for prefix in ("", "/es"):
        links = main_links(client, f"{prefix}/search/?q=Daniel")
        found = profiles(links)
        assert found and len(found) == len(set(found))
        assert all(link.startswith(prefix + "/") for link in found), found
