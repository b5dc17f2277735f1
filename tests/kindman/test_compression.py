"""Reading pages leave the server gzipped; pages holding a secret (a CSRF token, a session)
leave uncompressed, so BREACH has nothing to guess."""

import gzip

import pytest
from django.core.cache import caches

from kindman.factories import build_standard_page

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_reading_page_is_sent_gzipped_to_browsers_that_accept_it(client, home_page):
    build_standard_page(home_page)
    plain = client.get("/about/")
    compressed = client.get("/about/", **GZIP)
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 2


def test_page_with_a_csrf_token_is_never_compressed(client, home_page):
    response = client.get("/newsletter/", **GZIP)
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response


def test_signed_in_visitors_get_uncompressed_pages(client, home_page, django_user_model):
    build_standard_page(home_page)
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    assert "Content-Encoding" not in client.get("/about/", **GZIP)


def test_gzipped_cached_page_still_answers_304_to_its_weak_etag(client, home_page, settings):
    settings.PAGE_CACHE_ENABLED = True
    etag = client.get("/", **GZIP)["ETag"]
    assert etag.startswith('W/"')
    for _ in range(2):  # on a fresh render and from the cache
        caches["pages"].clear()
        client.get("/")
        assert client.get("/", HTTP_IF_NONE_MATCH=etag, **GZIP).status_code == 304
