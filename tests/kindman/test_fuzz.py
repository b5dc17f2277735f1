"""Arbitrary text, Unicode, huge strings and malformed query strings never cause a 500."""

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz_helpers import (
    FUZZ_SETTINGS,
    RAW_QUERY_STRINGS,
    assert_never_500,
    form_data,
    query_params,
)

pytestmark = pytest.mark.django_db

PUBLIC_PATHS = ["/", "/about/", "/healthz", "/robots.txt", "/sitemap.xml", "/search/"]


@pytest.fixture
def site(home_page):
    from kindman.factories import build_standard_page

    build_standard_page(home_page)
    return home_page


@FUZZ_SETTINGS
@given(path=st.sampled_from(PUBLIC_PATHS), params=query_params(["page", "tag", "q"]))
def test_query_strings_never_cause_a_500(client, site, path, params):
    assert_never_500(client, "get", path, params)


@FUZZ_SETTINGS
@given(path=st.sampled_from(PUBLIC_PATHS), raw=RAW_QUERY_STRINGS)
def test_malformed_raw_query_strings_never_cause_a_500(client, site, path, raw):
    assert_never_500(client, "get", path, QUERY_STRING=raw)


@FUZZ_SETTINGS
@given(segment=st.text(min_size=1, max_size=300))
def test_arbitrary_paths_get_a_clear_answer(client, site, segment):
    response = assert_never_500(client, "get", "/" + quote(segment, safe="/") + "/")
    assert response.status_code in {200, 301, 302, 400, 404}


@FUZZ_SETTINGS
@given(raw=st.binary(min_size=1, max_size=60))
def test_undecodable_paths_get_a_clear_answer(client, site, raw):
    path = "/" + "".join(f"%{byte:02x}" for byte in raw)
    assert_never_500(client, "get", path)


@FUZZ_SETTINGS
@given(path=st.sampled_from(["/", "/about/", "/no-such-page/"]), data=form_data(["name"]))
def test_posting_anything_to_reading_pages_never_causes_a_500(client, site, path, data):
    assert_never_500(client, "post", path, data)


@FUZZ_SETTINGS
@given(data=form_data(["username", "password", "next"]))
def test_the_admin_sign_in_form_never_causes_a_500(client, site, data):
    response = assert_never_500(client, "post", "/admin/login/", data)
    assert response.status_code in {200, 400, 413, 429}


def test_a_not_found_page_does_not_reflect_the_address(client, site):
    response = client.get("/%3Cscript%3Ealert(1)%3C/script%3E/")
    assert response.status_code == 404
    assert "<script>alert(1)</script>" not in response.content.decode()
