"""The test suite: real PostgreSQL (its own test database), plain static storage, a fast
password hasher, tasks run immediately, mail kept in memory."""

import os

if not os.environ.get("DATABASE_URL"):
    from kindman.embedded_db import database_url

    os.environ["DATABASE_URL"] = database_url()
os.environ.setdefault("SECRET_KEY", "test-only-insecure-key")
os.environ.setdefault("PUBLIC_ORIGIN", "http://testserver")

from .base import *  # noqa: F403
from .base import BASE_DIR, CACHES, STORAGES

DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".local" / "test-media"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Django's test client's host, whatever the environment says.
PUBLIC_ORIGIN = "http://testserver"
WAGTAILADMIN_BASE_URL = PUBLIC_ORIGIN
DEMO_LOGINS_FILE = BASE_DIR / ".local" / "test-demo-logins.txt"
# The page cache in process memory: it empties with each test (tests/conftest.py) and, unlike a
# cache table, it is never left behind by tests that flush the database.
CACHES = {
    **CACHES,
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-pages"},
}
# Query-count tests measure uncached renders; tests/kindman/test_cache.py turns the cache on.
PAGE_CACHE_ENABLED = False
