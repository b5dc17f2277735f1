"""The practice's time zone: slots are computed in local wall time and stored in UTC."""

from zoneinfo import ZoneInfo

PRACTICE_TZ = ZoneInfo("America/Los_Angeles")
PRACTICE_TZ_LABEL = "Pacific Time (Los Angeles)"
