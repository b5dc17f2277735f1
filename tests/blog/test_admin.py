"""What editors and administrators can do with the blog and its subscribers in the admin."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission, User
from wagtail.models import Page

from blog.factories import build_post
from blog.models import BlogPage, Subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(blog_index):
    user = User.objects.create_user("eddie", password="a-long-test-password", is_staff=False)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("ada", password="a-long-test-password")


def test_editors_can_create_publish_and_schedule_posts(editor, blog_index, author):
    post = build_post(blog_index, slug="by-an-editor", authors=[author], publish=False)
    permissions = post.permissions_for_user(editor)
    assert blog_index.permissions_for_user(editor).can_add_subpage()
    assert permissions.can_edit()
    assert permissions.can_publish()  # publishing with a go-live date is how posts are scheduled
    live = build_post(blog_index, slug="live-one", authors=[author])
    assert live.permissions_for_user(editor).can_unpublish()


def test_editors_can_open_the_add_post_form_and_preview(client, editor, blog_index):
    client.force_login(editor)
    response = client.get(f"/admin/pages/add/blog/blogpage/{blog_index.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="hero_alt"' in html and 'name="summary"' in html
    assert "action-publish" in html


def test_editors_cannot_see_subscribers_or_any_consultation_data(client, editor):
    client.force_login(editor)
    assert client.get("/admin/newsletter_subscribers/").status_code in (302, 403)
    assert "Newsletter subscribers" not in client.get("/admin/").content.decode()
    codenames = {p.content_type.app_label for p in Permission.objects.filter(group__name="Editors")}
    assert "consultations" not in codenames
    assert not editor.has_perm("blog.view_subscriber")


def test_editors_cannot_publish_outside_the_blog(editor, home_page, blog_index):
    assert not Page.objects.get(pk=home_page.pk).permissions_for_user(editor).can_publish()


def test_administrators_list_filter_and_export_confirmed_subscribers(client, admin_user, home_page):
    Subscriber.objects.create(email="yes@example.com", status=Subscriber.Status.CONFIRMED)
    Subscriber.objects.create(email="pending@example.com")
    client.force_login(admin_user)
    listing = client.get("/admin/newsletter_subscribers/?status=confirmed").content.decode()
    assert "yes@example.com" in listing and "pending@example.com" not in listing
    response = client.get("/admin/newsletter_subscribers/?status=confirmed&export=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0][0].lower() == "email"
    assert [row[0] for row in rows[1:]] == ["yes@example.com"]


def test_subscriber_csv_export_keeps_formula_like_addresses_as_text(client, admin_user, home_page):
    # Valid addresses: the local part may start with any of these.
    for email in ("=cmd@x.example", "+1@x.example", "-2@x.example", "plain@x.example"):
        Subscriber.objects.create(email=email, status=Subscriber.Status.CONFIRMED)
    client.force_login(admin_user)
    response = client.get("/admin/newsletter_subscribers/?export=csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert sorted(row[0] for row in rows[1:]) == [
        "'+1@x.example",
        "'-2@x.example",
        "'=cmd@x.example",
        "plain@x.example",
    ]


def test_nobody_adds_subscribers_by_hand(client, admin_user, home_page):
    client.force_login(admin_user)
    assert client.get("/admin/newsletter_subscribers/new/").status_code in (302, 403)


def test_a_group_given_the_view_permission_sees_subscribers(client, home_page):
    user = User.objects.create_user("clerk", password="a-long-test-password")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_subscriber"),
    )
    client.force_login(user)
    assert client.get("/admin/newsletter_subscribers/").status_code == 200


def test_blog_index_grants_editors_only_once(blog_index):
    blog_index.save()
    blog_index.save_revision().publish()
    assert blog_index.group_permissions.filter(group__name="Editors").count() == 3
    assert BlogPage.objects.count() == 0
