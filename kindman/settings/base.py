"""Settings shared by every environment. Safe for production by default: everything that differs
per deployment is read from the environment, and nothing secret lives here."""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def public_origin(value: str) -> str:
    """PUBLIC_ORIGIN checked and normalised to scheme://host, with a port only where it is not
    the scheme's default (https://www.kindman.example, http://127.0.0.1:8000)."""
    if not value:
        raise ImproperlyConfigured(
            "PUBLIC_ORIGIN is not set. Set it to the site's public origin, e.g. "
            "https://www.kindman.example. `make run` and `make serve` use a local one."
        )
    parts = urlsplit(value)
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    try:
        port = parts.port or default_port
    except ValueError:
        port = None
    if not (
        default_port
        and port
        and parts.hostname
        and parts.username is None
        and f"{parts.scheme}://{parts.netloc}".lower() == value.lower()
    ):
        raise ImproperlyConfigured(
            f"PUBLIC_ORIGIN must be http(s)://host[:port] and nothing more (no path, not even "
            f"a trailing slash), e.g. https://www.kindman.example; it is {value!r}."
        )
    # Wagtail's Site record, which page URLs and the sitemap come from, says https by port 443.
    if (parts.scheme == "https") != (port == 443):
        raise ImproperlyConfigured(
            f"PUBLIC_ORIGIN {value!r}: https must be on port 443 and http on another port."
        )
    return f"{parts.scheme}://{parts.hostname}" + ("" if port == default_port else f":{port}")


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random value "
        "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(50))'`). "
        "`make run` and `make serve` make a local-only one for you."
    )

# The one origin every absolute URL is built from (canonical links, the feed, robots.txt, emails,
# and the Site record `seed_demo` makes), never the request's Host header, which clients choose.
PUBLIC_ORIGIN = public_origin(os.environ.get("PUBLIC_ORIGIN", "").strip())

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "kindman",
    "blog",
    "therapists",
    "consultations",
    "wagtail_localize",
    "wagtail_localize.locales",  # Wagtail's locale admin, with wagtail-localize's sync
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # The strict policy below everywhere; only the Wagtail admin gets inline scripts and styles.
    "kindman.middleware.ContentSecurityPolicyMiddleware",
    # Serves hashed static files with far-future caching straight from the app servers.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Reading pages leave gzipped (stored plain by the page cache below); see its docstring.
    "kindman.middleware.PublicPageGZipMiddleware",
    # ETags and 304s, on the uncompressed page (Django's documented place, inside GZip).
    "django.middleware.http.ConditionalGetMiddleware",
    # Anonymous reading pages from the page cache, before sessions or the database are touched.
    "kindman.cache.PageCacheMiddleware",
    "kindman.middleware.StylesheetPreloadMiddleware",
    "kindman.middleware.RequestSizeLimitMiddleware",
    "kindman.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the address alone (/es/… Spanish, the rest English), never from
    # a cookie or the browser's languages, so a cached page always matches its URL.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Staff with a TOTP device must enter a code; groups chosen in Settings → Security (e.g. Care
    # coordinators) must enrol one first.
    "kindman.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# --- Client addresses (django-xff) -------------------------------------------------------------
# Behind TRUSTED_PROXY_COUNT proxies (a load balancer), django-xff sets REMOTE_ADDR to the entry
# of X-Forwarded-For that the outermost trusted proxy wrote; the entries left of it are the
# client's own words. Without proxies the header is ignored: django-xff would trust its first,
# client-written entry. Requests that bypassed the proxies are refused, but the load balancer's
# own health check (settings: xff.middleware.XForwardedForMiddleware's docstring).
XFF_TRUSTED_PROXY_DEPTH = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
XFF_ALWAYS_PROXY = True
XFF_EXEMPT_URLS = [r"^healthz$"]
if XFF_TRUSTED_PROXY_DEPTH:
    MIDDLEWARE.insert(0, "xff.middleware.XForwardedForMiddleware")

ROOT_URLCONF = "kindman.urls"
WSGI_APPLICATION = "kindman.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "kindman.context_processors.site_navigation",
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Always a PostgreSQL server named by DATABASE_URL: production never starts one of its own.
# Development and the tests default it to the embedded server (dev.py, test.py; `make serve`
# exports it, see scripts/serve).
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Set it to the PostgreSQL server to use, e.g. "
        "postgres://kindman:password@db.internal:5432/kindman. `make run`, `make serve` and the "
        "tests use the embedded one (`python -m kindman.embedded_db url`)."
    )
DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
# Persistent connections, checked before reuse so the site recovers by itself after a restart
# of PostgreSQL (https://docs.djangoproject.com/en/5.2/ref/databases/#persistent-connections).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
# psycopg's prepared statements (server-side binding), only when asked for: poolers in
# transaction mode (PgBouncer before 1.21) cannot keep them.
if env_bool("DATABASE_PREPARED_STATEMENTS", False):
    DATABASES["default"]["OPTIONS"] |= {"server_side_binding": True, "prepare_threshold": 5}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every app server: the database cache and database sessions. Reading pages have their
# own table so emptying it on publish touches nothing else; `createcachetable` makes both.
# "pages_local" is each process's own memory in front of that table (kindman/cache.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kindman_cache",
    },
    # Wagtail looks renditions up here before the database; keys name the image's id, file hash
    # and focal point, so an entry never goes stale.
    # https://docs.wagtail.org/en/stable/advanced_topics/performance.html#caching-image-renditions
    "renditions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kindman-renditions",
        "TIMEOUT": 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 10000},
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kindman_page_cache",
        "TIMEOUT": 60 * 60 * 24,  # emptied on every content change; a day bounds forgotten keys
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    "pages_local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kindman-pages",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Page cache (kindman/cache.py) ------------------------------------------------------------
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
# Browsers may reuse a page for a minute, shared caches in front for five unless purged (see
# "Front caches" below). The app's own cache is emptied on publish.
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "60"))
PAGE_CACHE_S_MAXAGE = int(os.environ.get("PAGE_CACHE_S_MAXAGE", "300"))
# Views whose anonymous GET answers are the same for everyone ("namespace:name" or "name").
PAGE_CACHE_VIEWS = ["wagtail_serve"]
# Seconds a process keeps a page in its own memory, where a hit costs no query. A change is
# shown at once by the process that made it; other processes (other app servers, other gunicorn
# workers) may serve the old page for this long. 0: every hit reads the shared table.
PAGE_CACHE_LOCAL_SECONDS = int(os.environ.get("PAGE_CACHE_LOCAL_SECONDS", "5"))

# --- Front caches (a CDN or Varnish in front; docs/deploy.md) ----------------------------------
# Wagtail sends PURGE for a page's URL when it is published or unpublished, and kindman/cache.py
# for the sections above it; nothing is sent unless a purge address is set.
# https://docs.wagtail.org/en/stable/reference/contrib/frontendcache.html
WAGTAILFRONTENDCACHE = {}
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["default"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
    }

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Sign-in: rate limits (django-axes) ---------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username and address is refused before the password is checked.
    # AxesBackend (not AxesStandaloneBackend) also answers get_user, which tools that log in
    # through the first backend (Wagtail's page test helpers) need.
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Lock the pair, so a guesser cannot lock a colleague out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
# One client address for every limit and the lockout: REMOTE_ADDR, which django-xff rewrites
# behind proxies (see "Client addresses" below).
AXES_CLIENT_IP_CALLABLE = "kindman.middleware.client_address"
AXES_VERBOSE = False

# --- Second factor (django-otp TOTP, kindman/second_factor.py) -------------------------------
OTP_TOTP_ISSUER = "Kindman & Co."

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# English names for staff; the language switcher shows each in its own language.
LANGUAGES = [("en", "English"), ("es", "Spanish")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Pages exist in both languages, translated in the admin with wagtail-localize.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = "America/Los_Angeles"  # the practice's; datetimes are stored in UTC
USE_I18N = True
USE_TZ = True

# --- Request size -----------------------------------------------------------------------------
# Forms are small: anything bigger is refused with a friendly 413 before it is read. Uploads
# (multipart) are allowed up to the image limit, and only in the admin.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
MAX_UPLOAD_REQUEST_SIZE = 12 * 1024 * 1024  # one image plus the form around it
UPLOAD_PATH_PREFIXES = ["/admin/"]

# --- Content-Security-Policy (django-csp 4) ---------------------------------------------------
# Everything comes from our own origin; no inline script or style on public pages. The admin's
# extra allowances live in kindman.middleware.ContentSecurityPolicyMiddleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Browser features no page of ours uses are switched off for us and anything we might embed
# (django-permissions-policy).
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
}

# --- Static and media -----------------------------------------------------------------------
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Serve uploads from MEDIA_ROOT through Django (one server, local folder). Turn off when media
# lives in object storage behind its own URL.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names + far-future caching; needs `collectstatic` before serving.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Several app servers share no disk: with a bucket configured, uploads go to S3-compatible
# object storage through django-storages (settings: docs/deploy.md). Credentials come from
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, read by boto3 itself.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME is set but django-storages is not installed. Install the "
            'project with its S3 extra: pip install -e ".[s3]".'
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # No per-object ACL: the bucket policy makes only the image folders public
            # (docs/deploy.md); documents stay private and reach readers through the app.
            "default_acl": None,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
        },
    }
    SERVE_MEDIA = False
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365  # hashed names, so a year is safe

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# Only the file-based backend reads this (`make serve` writes mail to .local/mail).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))  # a hanging mail server never hangs us
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kindman & Co. <hello@kindman.example>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Kindman & Co."
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL") or PUBLIC_ORIGIN
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Alt text is asked once, with the image (kindman.forms.ImageForm).
WAGTAILIMAGES_IMAGE_FORM_BASE = "kindman.forms.ImageForm"
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"jpeg": "webp", "png": "webp", "gif": "gif"}
# Wagtail's default list, written out because `/media/` serves exactly these (kindman.views):
# no SVG, which can carry script.
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
# Documents are uploaded by editors and read by anyone: only what a practice hands out, never a
# type a browser runs (HTML, SVG, scripts).
WAGTAILDOCS_EXTENSIONS = [
    *["pdf", "doc", "docx", "odt", "rtf", "txt"],
    *["jpg", "jpeg", "png", "webp", "gif"],
]
# Always through Wagtail's view, which checks collection privacy; never a link or redirect to
# the file in storage. See
# https://docs.wagtail.org/en/stable/reference/settings.html#wagtaildocs-serve-method
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Every document is a download, PDFs too: nothing uploaded is displayed as a page of our origin.
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no calls to third parties from the admin
WAGTAIL_PASSWORD_RESET_ENABLED = True
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # staff avatars would be fetched from a third party

# Where `seed_demo` keeps the passwords it generated for demo staff (git-ignored).
DEMO_LOGINS_FILE = BASE_DIR / ".local" / "demo-logins.txt"

# --- Logging: nothing personal, no request bodies -------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# --- Consultations --------------------------------------------------------------------------
# Who is told (with only an admin link) about new, moved and cancelled calls; empty: the
# practice email from the admin's practice settings.
CONSULTATION_NOTIFY_EMAILS = env_list("CONSULTATION_NOTIFY_EMAILS")
# Sender (and invite organizer) of "keep it discreet" emails; empty: "Appointments <address of
# DEFAULT_FROM_EMAIL>", on the practice's domain: production sets a neutral address
# (docs/data-protection.md).
CONSULTATION_DISCREET_FROM_EMAIL = os.environ.get("CONSULTATION_DISCREET_FROM_EMAIL", "")
# Days after a call or information session when `purge_personal_data` (run daily) erases the
# booking's personal fields, keeping anonymous rows for counts.
BOOKING_RETENTION_DAYS = int(os.environ.get("BOOKING_RETENTION_DAYS", "90"))
# Public booking/registration submissions allowed per client address per window (seconds),
# counted in the shared cache so the limit holds across app servers.
CONSULTATION_RATE_LIMIT = (
    int(os.environ.get("CONSULTATION_RATE_LIMIT", "10")),
    int(os.environ.get("CONSULTATION_RATE_WINDOW", "600")),
)

# --- Newsletter -----------------------------------------------------------------------------
# At most one confirmation email per address in this period, however often the form is sent
# for it, so the sign-up form cannot be used to flood someone else's inbox.
NEWSLETTER_CONFIRMATION_COOLOFF = timedelta(minutes=15)
