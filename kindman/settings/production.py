"""Production: `make serve` and real deployments. Every security line says why it is there.
SECRET_KEY, PUBLIC_ORIGIN and DATABASE_URL must come from the environment (base refuses to start
without them)."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False

# Browsers only ever talk to us over HTTPS; the load balancer terminates TLS and says so.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
# A year of HSTS, subdomains and preload: no downgrade to HTTP, ever.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Browsers must not guess content types (stops uploaded files being run as scripts).
SECURE_CONTENT_TYPE_NOSNIFF = True
# Booking pages are reached from sensitive places; leak nothing beyond our own origin.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Session and CSRF cookies: HTTPS only, never readable from JavaScript.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
# No page of ours is ever framed (clickjacking).
X_FRAME_OPTIONS = "DENY"
