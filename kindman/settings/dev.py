"""Local development: `make run`. Debug on, mail written to .local/mail, plain static files."""

import os

os.environ.setdefault("DEBUG", "true")
if not os.environ.get("DATABASE_URL"):
    from kindman.embedded_db import database_url

    os.environ["DATABASE_URL"] = database_url()
os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
os.environ.setdefault("PUBLIC_ORIGIN", f"http://127.0.0.1:{os.environ.get('PORT') or 8000}")

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, STORAGES

ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = BASE_DIR / ".local" / "mail"
# A connection per request: the threaded dev server opens one per thread, and kept open they
# fill the embedded PostgreSQL's hundred connections.
DATABASES["default"]["CONN_MAX_AGE"] = 0
