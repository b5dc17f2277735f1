"""Bad input at the blog's filters, search and newsletter forms never causes a 500."""

import pytest
from hypothesis import given

from blog.factories import build_blog_index, build_post
from tests.fuzz_helpers import FUZZ_SETTINGS, assert_never_500, form_data, query_params


@pytest.fixture
def blog(home_page):
    index = build_blog_index(home_page)
    build_post(index, slug="a-post")
    return index


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(params=query_params(["tag", "specialty", "page"]))
def test_blog_index_filters_never_cause_a_500(client, blog, params):
    assert_never_500(client, "get", "/blog/", params)


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(params=query_params(["q", "page"]))
def test_search_never_causes_a_500(client, blog, params):
    assert_never_500(client, "get", "/search/", params)


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(data=form_data(["email", "website"]))
def test_newsletter_sign_up_never_causes_a_500(client, blog, data):
    assert_never_500(client, "post", "/newsletter/", data)
