"""Reading the blog in a real browser: from a post to its author's profile, and an accessibility
check on every page type the blog adds."""

import datetime

import pytest
from playwright.sync_api import expect

from blog.factories import build_blog_index, build_image, build_post, paragraph
from blog.models import Subscriber
from tests.browser.conftest import assert_accessible, filter_toggle_is_clear_of_the_quick_exit_bar
from therapists.factories import build_therapist


@pytest.fixture
def blog(site):
    index = build_blog_index(site)
    author = build_therapist(
        slug="maren-okafor",
        title="Maren Okafor",
        role="Graduate Student Trainee Therapist",
        short_bio="Maren meets people where they are (demo).",
        photo=build_image("Maren portrait", seed=3, size=(320, 320)),
        photo_alt="Maren smiling in a sunlit room",
    )
    for day, slug, title in [
        (1, "on-extra-innings", "On Extra Innings"),
        (9, "on-sex-work-therapy", "On Sex Work & Therapy"),
        (20, "on-relational-therapy", "On Relational Therapy"),
    ]:
        build_post(
            index,
            slug=slug,
            title=title,
            date=datetime.date(2026, 10, day),
            authors=[author],
            tags=["Relational therapy"],
            hero=build_image(f"{title} hero", seed=day, size=(480, 270)),
            hero_alt="Soft abstract shapes in rose and green",
            body=[
                {"type": "heading", "value": {"text": "Care without conditions", "level": "h2"}},
                paragraph("Care begins by believing people about their own lives."),
            ],
        )
    return index


def test_reader_goes_from_a_post_to_its_authors_profile(page, live_server, blog):
    page.goto(live_server.url + "/blog/")
    page.get_by_role("link", name="On Sex Work & Therapy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("On Sex Work & Therapy")
    expect(page.get_by_role("link", name="Previous post On Extra Innings")).to_be_visible()
    expect(page.get_by_role("link", name="Next post On Relational Therapy")).to_be_visible()
    hero = page.locator(".post__hero img")
    expect(hero).to_have_attribute("alt", "Soft abstract shapes in rose and green")
    assert hero.get_attribute("loading") is None
    assert hero.get_attribute("width") and hero.get_attribute("height")
    authors = page.get_by_role("region", name="Featured therapist author")
    authors.get_by_role("link", name="Maren Okafor", exact=True).click()
    expect(page).to_have_url(live_server.url + "/therapists/maren-okafor/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maren Okafor")


def test_reader_subscribes_from_a_post(page, live_server, blog):
    page.goto(live_server.url + "/blog/on-sex-work-therapy/")
    page.get_by_role("link", name="Sign up for our newsletter").click()
    page.get_by_label("Your email address").fill("reader@example.com")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    assert Subscriber.objects.get().email == "reader@example.com"


@pytest.mark.parametrize(
    "path",
    [
        "/blog/",
        "/blog/?tag=relational-therapy",
        "/blog/on-sex-work-therapy/",
        "/search/?q=care",
        "/newsletter/",
        "/newsletter/check-your-inbox/",
        "/newsletter/confirm/not-a-real-token/",
        "UNSUBSCRIBE",
    ],
)
def test_blog_page_types_have_no_serious_accessibility_problems(page, live_server, blog, path):
    if path == "UNSUBSCRIBE":
        subscriber = Subscriber.objects.create(email="a@example.com", status="confirmed")
        path = f"/newsletter/unsubscribe/{subscriber.unsubscribe_token}/"
    assert_accessible(page, live_server.url + path)


def test_on_a_phone_choosing_a_topic_lands_on_the_posts_with_the_filter_in_view(
    page, live_server, blog
):
    page.goto(live_server.url + "/blog/")
    topic = page.locator(".filter-panel").get_by_role("link", name="Relational therapy")
    expect(topic).to_be_hidden()  # the panel is closed on a phone
    page.get_by_text("Filter posts", exact=True).click()
    topic.click()

    heading = page.get_by_role("heading", level=2, name="3 posts match your filters")
    expect(heading).to_be_in_viewport()
    # Landed with the panel's toggle in full view, not half under the quick-exit bar.
    assert filter_toggle_is_clear_of_the_quick_exit_bar(page)
    expect(page.locator(".filter-panel__count")).to_have_text("1 active")
    page.get_by_role("link", name="Remove filter: Relational therapy").click()
    expect(page.get_by_role("heading", level=2, name="All posts")).to_be_in_viewport()
