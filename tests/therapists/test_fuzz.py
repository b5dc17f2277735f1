"""Any query string at the therapist directory, `?page=` included, gets the directory, never a
500."""

import pytest
from hypothesis import given

from tests.fuzz_helpers import FUZZ_SETTINGS, assert_never_500, query_params
from therapists.factories import build_therapist


@pytest.fixture
def directory(home_page):
    """Two pages of therapists, so a page number can be past the end of either list."""
    for number in range(13):
        build_therapist(slug=f"fuzz-{number}", specialties=["Trauma"], languages=["English"])


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(
    params=query_params(
        ["specialty", "works_with", "format", "language", "sliding_scale", "accepting", "page"]
    )
)
def test_directory_filters_and_pages_never_cause_a_500(client, directory, params):
    assert assert_never_500(client, "get", "/therapists/", params).status_code == 200
