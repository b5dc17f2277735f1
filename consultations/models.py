"""The app's models, each defined in the part it belongs to (docs/architecture.md): the
registry finds them here."""

from .bookings.models import MANAGE_TOKEN_PATTERN, ClientBooking, new_manage_token
from .calls.models import (
    AvailabilityException,
    BookingRules,
    Consultation,
    Coordinator,
    GoodFaithEstimate,
    Weekday,
    WeeklyHours,
)
from .sessions.models import InfoSession, SessionRegistration

__all__ = [
    "MANAGE_TOKEN_PATTERN",
    "AvailabilityException",
    "BookingRules",
    "ClientBooking",
    "Consultation",
    "Coordinator",
    "GoodFaithEstimate",
    "InfoSession",
    "SessionRegistration",
    "Weekday",
    "WeeklyHours",
    "new_manage_token",
]
