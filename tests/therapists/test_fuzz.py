"""Any query string at the therapist directory gets the directory, never a 500."""

import pytest
from hypothesis import given

from tests.fuzz_helpers import FUZZ_SETTINGS, assert_never_500, query_params
from therapists.factories import build_therapist


@pytest.fixture
def directory(home_page):
    return build_therapist(slug="fuzz-demo", specialties=["Trauma"], languages=["English"])


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(
    params=query_params(
        ["specialty", "works_with", "format", "language", "sliding_scale", "accepting"]
    )
)
def test_directory_filters_never_cause_a_500(client, directory, params):
    assert assert_never_500(client, "get", "/therapists/", params).status_code == 200
