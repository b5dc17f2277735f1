import pytest
from django.core.cache import caches

from kindman.factories import build_site
from tests.fault_helpers import site_on_own_database  # noqa: F401  (a fixture for every test)


@pytest.fixture(autouse=True)
def empty_page_cache():
    """No test sees pages another test rendered (the page cache lives in process memory here)."""
    caches["pages"].clear()
    caches["pages_local"].clear()


@pytest.fixture
def home_page(db):
    return build_site()
