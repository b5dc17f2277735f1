"""The practice's time zone: times are stored in UTC and shown, and slots computed, in its local
wall time."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PRACTICE_TZ = ZoneInfo("America/Los_Angeles")
PRACTICE_TZ_LABEL = gettext_lazy("Pacific Time (Los Angeles)")


def format_local(moment: datetime) -> str:
    """'Tuesday, December 1, 2026 at 10:00 AM Pacific Time (Los Angeles)', in the active
    language."""
    local = moment.astimezone(PRACTICE_TZ)
    # Translators: a date format (https://docs.djangoproject.com/en/5.2/ref/templates/builtins/#date)
    when = date_format(local, _(r"l, F j, Y \a\t g:i A"))
    return f"{when} {PRACTICE_TZ_LABEL}"
