"""Writing a post in the admin as an editor does: a half-written draft saves (autosave included),
publishing asks for what a published post needs, a new post starts with a paragraph, authors are
chosen by name and portrait, and alt text is asked once, with the image."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from blog.models import BlogPage, BlogPageAuthor
from therapists.factories import build_therapist

pytestmark = pytest.mark.django_db

AUTOSAVE = {"HTTP_ACCEPT": "application/json"}  # how Wagtail's autosave posts the form


@pytest.fixture
def editor_client(client, blog_index):
    user = User.objects.create_user("eddie", password="a-long-test-password")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


def add_url(blog_index) -> str:
    return reverse("wagtailadmin_pages:add", args=["blog", "blogpage", blog_index.pk])


def post_data(*, authors=("",), hero=None, hero_alt="", body=(), **fields) -> dict:
    """The add form as the browser sends it. A new post shows one author row, empty until a
    therapist is chosen; the body's blocks are drawn by JavaScript, so they are spelled out."""
    values = {
        "title": "Half a thought",
        "slug": "half-a-thought",
        "summary": "",
        "date": "2026-11-02",
        "hero_image": hero.pk if hero else "",
        "hero_alt": hero_alt,
        "body": streamfield([("paragraph", rich_text(text)) for text in body]),
        "authors": inline_formset(
            [{"therapist": getattr(author, "pk", author)} for author in authors], min=1
        ),
        "tags": "",
        **fields,
    }
    return nested_form_data(values)


def test_a_half_written_new_post_autosaves_as_a_draft(editor_client, blog_index):
    response = editor_client.post(add_url(blog_index), post_data(), **AUTOSAVE)
    assert response.status_code == 200, response.content
    assert response.json()["success"] is True
    post = BlogPage.objects.get(slug="half-a-thought", locale__language_code="en")
    assert not post.live
    assert not BlogPageAuthor.objects.filter(page=post).exists()


def test_autosave_keeps_saving_as_the_draft_grows(editor_client, blog_index, author, hero):
    first = editor_client.post(add_url(blog_index), post_data(), **AUTOSAVE)
    edit_url = first.json()["url"]
    post = BlogPage.objects.get(slug="half-a-thought", locale__language_code="en")
    # An image chosen before its alt text is written, then the author and a paragraph.
    for data in (
        post_data(hero=hero, summary="Some thoughts."),
        post_data(hero=hero, authors=[author], body=["<p>It starts here.</p>"]),
    ):
        response = editor_client.post(edit_url, data, **AUTOSAVE)
        assert response.status_code == 200, response.content
        assert response.json()["success"] is True
    draft = BlogPage.objects.get(pk=post.pk).get_latest_revision_as_object()
    assert draft.author_list == [author]
    assert "It starts here." in str(draft.body)


def test_publishing_still_needs_an_author_and_the_hero_images_alt_text(
    editor_client, blog_index, hero
):
    hero.description = ""
    hero.save()
    data = post_data(
        hero=hero, summary="Done.", body=["<p>Finished.</p>"], **{"action-publish": "1"}
    )
    response = editor_client.post(add_url(blog_index), data)
    assert response.status_code == 200  # the form again, with its errors
    form = response.context["form"]
    assert "hero_alt" in form.errors
    assert form.formsets["authors"].errors[0]["therapist"] == ["This field is required."]
    assert not BlogPage.objects.filter(slug="half-a-thought").exists()


def test_the_images_own_alt_text_serves_as_the_heros(editor_client, blog_index, author, hero):
    hero.description = "Warm shapes like a sunrise over hills"
    hero.save()
    data = post_data(
        hero=hero,
        authors=[author],
        summary="Done.",
        body=["<p>Finished.</p>"],
        **{"action-publish": "1"},
    )
    response = editor_client.post(add_url(blog_index), data)
    assert response.status_code == 302
    post = BlogPage.objects.get(slug="half-a-thought", locale__language_code="en")
    assert post.live and post.hero_alt == "Warm shapes like a sunrise over hills"


def test_a_new_post_starts_with_a_paragraph_to_type_into(editor_client, blog_index):
    form = editor_client.get(add_url(blog_index)).context["form"]
    body = form["body"].value()
    assert [block.block_type for block in body] == ["paragraph"]


def test_authors_are_chosen_from_therapists_by_name_and_portrait(editor_client, blog_index, author):
    build_therapist(slug="jonah-vey", title="Jonah Vey")  # no portrait
    chooser = reverse("therapist_chooser:choose")
    assert chooser in editor_client.get(add_url(blog_index)).content.decode()
    response = editor_client.get(chooser)
    assert response.status_code == 200
    html = response.json()["html"]
    assert "Maren Okafor" in html and "Jonah Vey" in html
    assert html.index("Jonah Vey") < html.index("Maren Okafor")
    assert html.count("<img") == 1  # Maren's portrait; Jonah has none
    assert "Choose a therapist" in html


def test_the_therapist_chooser_reads_portraits_in_at_most_one_query(
    editor_client, blog_index, author
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from blog.factories import build_image

    for number in range(5):
        build_therapist(
            slug=f"therapist-{number}",
            photo=build_image(f"Portrait {number}", seed=number, size=(200, 200)),
            photo_alt="A portrait",
        )
    chooser = reverse("therapist_chooser:choose")
    editor_client.get(chooser)  # renditions made once
    with CaptureQueriesContext(connection) as queries:
        editor_client.get(chooser)
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    assert len([sql for sql in reads if 'FROM "wagtailimages_rendition"' in sql]) <= 1
    assert len([sql for sql in reads if 'FROM "wagtailimages_image"' in sql]) <= 1


def test_alt_text_is_asked_once_with_the_image(editor_client):
    html = editor_client.get(reverse("wagtailimages:add")).content.decode()
    assert 'name="description"' in html
    assert "Alt text" in html
    chooser_upload = editor_client.get(reverse("wagtailimages_chooser:choose")).json()["html"]
    assert "Alt text" in chooser_upload


def test_the_editors_dashboard_has_shortcuts_drafts_and_scheduled_posts(editor_client, blog_index):
    editor_client.post(add_url(blog_index), post_data(), **AUTOSAVE)
    html = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    start = html.index('id="editor-shortcuts-section"')
    panel = html[start : html.index("</section>", start)]
    assert "Write a post" in panel and add_url(blog_index) in panel
    assert "Half a thought" in panel  # the editor's own draft
    assert "Nothing is scheduled." in panel


def test_coordinators_get_no_editor_shortcuts(client, blog_index):
    user = User.objects.create_user("cora", password="a-long-test-password")
    user.groups.add(Group.objects.get(name="Care coordinators"))
    client.force_login(user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Write a post" not in html
