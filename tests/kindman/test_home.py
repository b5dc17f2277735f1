"""The home page's sections as visitors see them: each from editors' blocks, every link real,
chosen pages that are gone never breaking it, and its queries flat as the practice grows."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from blog.factories import build_blog_index, build_image, build_post
from consultations.factories import build_info_session
from kindman.factories import build_standard_page
from therapists.factories import build_portrait, build_therapist, taxonomy
from therapists.models import Specialty

pytestmark = pytest.mark.django_db


def sections(home, *, specialties=(), fees_page=None, therapists=()):
    home.body = [
        {
            "type": "how_it_works",
            "value": {
                "heading": "How it works",
                "intro": "",
                "steps": [
                    {"title": "A free call", "text": "Twenty minutes."},
                    {"title": "A match", "text": "Someone who fits."},
                    {"title": "Your first session", "text": "In person or online."},
                ],
                "action": {
                    "label": "Book your free call",
                    "page": None,
                    "booking": "consultations:book",
                },
            },
        },
        {
            "type": "therapists",
            "value": {
                "heading": "Meet our therapists",
                "intro": "",
                "therapists": list(therapists),
                "count": 4,
            },
        },
        {
            "type": "specialties",
            "value": {
                "heading": "What we specialise in",
                "intro": "",
                "specialties": list(specialties),
            },
        },
        {
            "type": "fees",
            "value": {
                "heading": "Fees at a glance",
                "text": "<p>Fees vary by therapist.</p>",
                "fees": [{"label": "Individual session", "amount": "$120–$190"}],
                "page": fees_page,
                "link_label": "Every fee explained",
            },
        },
        {"type": "latest_posts", "value": {"heading": "From our blog", "count": 3}},
        {
            "type": "sessions",
            "value": {"heading": "Free information sessions", "intro": "", "count": 3},
        },
    ]
    home.save_revision().publish()


def add_people_posts_and_sessions(home, start: int, stop: int):
    index = build_blog_index(home)
    for number in range(start, stop):
        therapist = build_therapist(
            slug=f"therapist-{number}",
            title=f"Therapist {number:02}",
            photo=build_portrait(f"Therapist {number}", size=96) if number % 2 else None,
            photo_alt="An illustrated portrait" if number % 2 else "",
            accepting_new_clients=number % 3 != 0,
        )
        build_post(
            index,
            slug=f"post-{number}",
            authors=[therapist],
            hero=build_image(f"Hero {number}", seed=number, size=(160, 90)),
        )
        build_info_session(slug=f"session-{number}", starts_in=timedelta(days=number + 1))


def test_every_section_shows_and_its_links_lead_somewhere_real(client, home_page):
    add_people_posts_and_sessions(home_page, 0, 5)
    grief = taxonomy(Specialty, "Grief and loss")
    fees = build_standard_page(home_page, title="Fees", slug="fees")
    sections(home_page, specialties=[grief.pk], fees_page=fees.pk)

    html = client.get("/").content.decode()
    assert 'href="/consultation/">Book a free 20-minute call</a>' in html  # the hero's one button
    assert html.count('<li class="step">') == 3
    assert 'href="/consultation/">Book your free call</a>' in html
    # Portraits: a photo or a monogram, and who is accepting new clients; the first come first.
    assert html.count('class="portrait-card card--link"') == 4
    assert "Accepting new clients" in html and 'class="monogram monogram--' in html
    assert 'href="/therapists/?specialty=grief-and-loss#results-heading">Grief and loss</a>' in html
    assert f'href="{fees.url}">Every fee explained</a>' in html
    assert html.count('class="post-card card--link"') == 3
    assert html.count('class="session-card card--link"') == 3
    assert 'href="/therapists/">Meet all our therapists</a>' in html
    assert 'href="/blog/">All posts</a>' in html


def test_therapists_accepting_new_clients_come_first_unless_editors_choose(client, home_page):
    add_people_posts_and_sessions(home_page, 0, 6)  # 0 and 3 are not accepting
    sections(home_page)
    html = client.get("/").content.decode()
    shown = re.findall(r'class="card__link" href="/therapists/[^"]+">([^<]+)<', html)
    assert shown == ["Therapist 01", "Therapist 02", "Therapist 04", "Therapist 05"]

    chosen = [build_therapist(slug=slug, title=slug.title()) for slug in ("zara", "abel")]
    sections(home_page, therapists=[page.pk for page in chosen])
    html = client.get("/").content.decode()
    shown = re.findall(r'class="card__link" href="/therapists/[^"]+">([^<]+)<', html)
    assert shown == ["Zara", "Abel"]


def test_pages_and_people_that_are_gone_never_break_the_home_page(client, home_page):
    fees = build_standard_page(home_page, title="Fees", slug="fees")
    leaving = build_therapist(slug="leaving", title="Leaving Soon")
    grief = taxonomy(Specialty, "Grief and loss")
    sections(home_page, specialties=[grief.pk], fees_page=fees.pk, therapists=[leaving.pk])
    home_page.hero_action_booking = ""
    home_page.hero_action_page = fees
    home_page.save_revision().publish()

    fees.unpublish()
    leaving.delete()
    grief.delete()
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Every fee explained" not in html  # its page is unpublished: no link to nowhere
    assert "Book a free 20-minute call" not in html  # the hero's button went to that page
    assert "Leaving Soon" not in html and "Grief and loss" not in html


def test_the_hero_button_goes_to_a_booking_or_a_page_never_both(home_page):
    fees = build_standard_page(home_page, title="Fees", slug="fees")
    home_page.hero_action_page = fees
    with pytest.raises(ValidationError) as refused:
        home_page.full_clean()
    assert "hero_action_page" in refused.value.message_dict
    home_page.hero_action_booking = ""
    home_page.full_clean()


def test_home_page_queries_stay_flat_as_the_practice_grows(
    client, home_page, django_assert_max_num_queries
):
    add_people_posts_and_sessions(home_page, 0, 3)
    sections(home_page, specialties=[taxonomy(Specialty, "Trauma").pk])
    client.get("/")  # renditions are made on the first view
    with django_assert_max_num_queries(20) as few:
        assert client.get("/").status_code == 200
    few = len(few.captured_queries)  # now: the query log is a bounded deque

    add_people_posts_and_sessions(home_page, 3, 15)
    client.get("/")
    with django_assert_max_num_queries(few):
        assert client.get("/").status_code == 200
