import pytest

from kindman.factories import build_site


@pytest.fixture
def home_page(db):
    return build_site()
