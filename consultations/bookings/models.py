"""What every booking a client makes shares: the no-account manage link, the name to use,
discretion, and the bookkeeping for invites and erasure."""

import re
import secrets
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

# What a manage token can look like; anything else is refused before it reaches the database.
MANAGE_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def new_manage_token() -> str:
    """An unguessable, URL-safe secret (256 bits) for the no-account manage link."""
    return secrets.token_urlsafe(32)


class ClientBooking(models.Model):
    """What every booking made by a client holds: how they reach their booking without an
    account, the name they want us to use, and the bookkeeping for invites and erasure. Shared
    by consultation calls and information-session registrations; subclasses set
    ACTIVE_STATUSES."""

    ACTIVE_STATUSES: tuple = ()

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    manage_token = models.CharField(
        max_length=64, unique=True, default=new_manage_token, editable=False
    )
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    name = models.CharField(
        "name to use", max_length=80, help_text="A pseudonym is fine. Seen by coordinators only."
    )
    pronouns = models.CharField(max_length=40, blank=True)
    discreet = models.BooleanField(
        default=False, help_text="Neutral wording in emails and the calendar invite."
    )
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text="The language they booked in: their emails and invites are in it, and the "
        "coordinator calls them in it.",
    )
    consent_at = models.DateTimeField(null=True, blank=True, editable=False)
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    ics_sequence = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    deliveries = GenericRelation("kindman.EmailDelivery")

    # Kept out of Wagtail's reference index: a client's booking never shows up in a therapist
    # page's "usage" listing, and a booking's insert queues no index task.
    wagtail_reference_index_ignore = True

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES
