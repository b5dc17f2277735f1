import pytest
from django.core.management import call_command

from blog.models import BlogIndexPage, BlogPage

pytestmark = pytest.mark.django_db


def test_seed_blog_makes_the_demo_posts_once(client):
    call_command("seed_demo", verbosity=0)
    english = {
        "locale__language_code": "en"
    }  # the Spanish tree: tests/kindman/test_seed_spanish.py
    counts = (
        BlogIndexPage.objects.filter(**english).count(),
        BlogPage.objects.filter(**english).count(),
    )
    call_command("seed_demo", verbosity=0)
    assert (
        (
            BlogIndexPage.objects.filter(**english).count(),
            BlogPage.objects.filter(**english).count(),
        )
        == counts
        == (1, 3)
    )

    post = BlogPage.objects.get(slug="on-sex-work-therapy", **english)
    assert post.url == "/blog/on-sex-work-therapy/"
    assert post.title == "On Sex Work & Therapy"
    assert post.hero_image and post.hero_alt
    assert [t.slug for t in post.author_list] == ["maren-okafor"]
    kinds = [block.block_type for block in post.body]
    assert kinds.count("heading") >= 3
    (cta,) = [block.value for block in post.body if block.block_type == "call_to_action"]
    assert cta["booking"] == "consultations:session_list"
    assert any("<ul>" in str(block.value) for block in post.body if block.block_type == "paragraph")

    html = client.get(post.url).content.decode()
    assert "On Extra Innings in an Extra-Disconnected World" in html  # previous
    assert "On Why Relational Therapy Matters More Than Ever" in html  # next
    assert "Featured therapist author" in html and "newsletter" in html.lower()
