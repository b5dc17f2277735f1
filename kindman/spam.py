"""Spam defence without third parties, shared by every public form:

- a honeypot field (`HoneypotFormMixin`): hidden from people (CSS, aria-hidden, tabindex=-1),
  filled in by naive bots; a filled honeypot makes the form invalid;
- a per-address fixed-window rate limit (`rate_limited(request, scope, limit, window)`) counted
  in PostgreSQL (`RateLimitCount`), so the count holds across several app servers. Addresses
  are stored only as a keyed hash.
- `too_many_requests(request)`: the friendly 429 page (with the crisis line)."""

import hashlib
import hmac
import time
from datetime import timedelta

from django import forms
from django.conf import settings
from django.db import connection
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kindman.middleware import client_address
from kindman.outage import kept_answers
from kindman.privacy import mark_private

HONEYPOT_FIELD = "website"


class HoneypotWidget(forms.TextInput):
    def __init__(self):
        super().__init__(
            attrs={"autocomplete": "off", "tabindex": "-1", "class": "honeypot__input"}
        )


class HoneypotFormMixin(forms.Form):
    website = forms.CharField(
        label=_("Leave this field empty"), required=False, widget=HoneypotWidget()
    )

    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def clean_website(self):
        if self.cleaned_data.get("website", "").strip():
            raise forms.ValidationError(_("Please leave this field empty."))
        return ""


def _key(scope: str, address: str, window: int) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    bucket = int(time.time() // window)
    return f"ratelimit:{scope}:{digest[:32]}:{bucket}"


def hit(request, scope: str, *, window: int) -> int:
    """Count one request from this address in the current window; returns the new count. One
    upsert in PostgreSQL (shared by every app server, and atomic where a cache's
    read-then-write is not)."""
    from .models import RateLimitCount

    key = _key(scope, client_address(request), window)
    expires_at = timezone.now() + timedelta(seconds=window + 5)
    table = connection.ops.quote_name(RateLimitCount._meta.db_table)
    upsert = (
        f"INSERT INTO {table} (key, hits, expires_at) VALUES (%s, 1, %s) "  # noqa: S608 (the model's table name)
        f"ON CONFLICT (key) DO UPDATE SET hits = {table}.hits + 1 RETURNING hits"
    )
    with connection.cursor() as cursor:
        cursor.execute(upsert, [key, expires_at])
        return cursor.fetchone()[0]


def forget_old_counts(now=None) -> int:
    """Delete the counts of windows that are over (run daily by `purge_personal_data`)."""
    from .models import RateLimitCount

    deleted, _ = RateLimitCount.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted


def rate_limited(request, scope: str, *, limit: int | None = None, window: int | None = None):
    """Count this request; True once the address is over the limit for `scope` (defaults:
    settings.CONSULTATION_RATE_LIMIT, read per call so tests and deployments can change it)."""
    default_limit, default_window = settings.CONSULTATION_RATE_LIMIT
    window = window or default_window
    return hit(request, scope, window=window) > (limit or default_limit)


def too_many_requests(request):
    """The friendly 429 page, with the visitor's answers and a button to send them again once
    the window is over (for forms marked with `kindman.outage.keeps_answers`)."""
    response = TemplateResponse(
        request, "too_many_requests.html", kept_answers(request), status=429
    )
    response["Retry-After"] = "600"
    return mark_private(response.render())
