"""The practice's time zone: times are stored in UTC and shown, and slots computed, in its local
wall time."""

from datetime import datetime
from zoneinfo import ZoneInfo

PRACTICE_TZ = ZoneInfo("America/Los_Angeles")
PRACTICE_TZ_LABEL = "Pacific Time (Los Angeles)"


def format_local(moment: datetime) -> str:
    """'Tuesday, December 1, 2026 at 10:00 AM Pacific Time (Los Angeles)'."""
    local = moment.astimezone(PRACTICE_TZ)
    return f"{local:%A, %B} {local.day}, {local.year} at {local:%-I:%M %p} {PRACTICE_TZ_LABEL}"
