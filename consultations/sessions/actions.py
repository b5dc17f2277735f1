"""Information-session actions: register, cancel, promote from the waitlist, offer a seat,
erase, and the emails about them.

Capacity is decided under a row lock on the `InfoSession`: every registration, cancellation and
promotion for one session runs one after the other inside `transaction.atomic()`, counts the
registered seats under the lock and decides "registered" or "waitlisted" there. The partial
unique index (one active registration per session and lower-cased email) is the database's last
word against a double registration. Every change is written to Wagtail's audit log, with the
staff user when staff made it (no user: the registrant, through the public pages)."""

import logging
import uuid
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from kindman.emails import queue_email

from ..bookings.models import new_manage_token
from .models import InfoSession, SessionRegistration

logger = logging.getLogger(__name__)

Status = SessionRegistration.Status


class RegistrationError(Exception):
    message = _("We couldn't register you for this session.")


class RegistrationClosed(RegistrationError):
    message = _("Registration for this session is closed.")


class RegistrationNotYetOpen(RegistrationError):
    message = _("Registration for this session hasn't opened yet.")


def register(
    session: InfoSession,
    *,
    details: dict,
    idempotency_key: uuid.UUID | None = None,
    now: datetime | None = None,
) -> tuple[SessionRegistration, bool]:
    """Register one person: a seat while any is left, else the end of the waitlist.

    Returns (registration, created). A repeated idempotency key returns the earlier registration;
    an email already registered returns that registration with created=False and emails its owner
    a reminder (the page never tells a visitor that someone else's address is registered)."""
    now = now or timezone.now()
    if idempotency_key and (earlier := _by_key(idempotency_key)):
        return earlier, False
    try:
        with transaction.atomic():
            session = InfoSession.objects.select_for_update().get(pk=session.pk)
            if idempotency_key and (earlier := _by_key(idempotency_key)):
                return earlier, False
            state = session.registration_state(now)
            if state == "not_yet":
                raise RegistrationNotYetOpen()
            if state != "open":
                raise RegistrationClosed()
            existing = _active_for_email(session, details["email"])
            if existing:
                queue_email("session_already_registered", existing)
                return existing, False
            taken = session.registrations.registered().count()
            registration = SessionRegistration.objects.create(
                **details,
                session=session,
                idempotency_key=idempotency_key,
                status=Status.REGISTERED if taken < session.capacity else Status.WAITLISTED,
                consent_at=now,
            )
            kind = (
                "session_confirmation"
                if registration.status == Status.REGISTERED
                else "session_waitlisted"
            )
            queue_email(kind, registration, sequence=registration.ics_sequence)
            log(registration, f"consultations.{registration.status}")
    except IntegrityError:
        # The same email raced itself past the lock-free idempotency check: the first one won.
        existing = _by_key(idempotency_key) if idempotency_key else None
        existing = existing or _active_for_email(session, details["email"])
        if existing is None:
            raise
        return existing, False
    logger.info("session registration id=%s status=%s", registration.pk, registration.status)
    return registration, True


def _by_key(key) -> SessionRegistration | None:
    return SessionRegistration.objects.select_related("session").filter(idempotency_key=key).first()


def _active_for_email(session, email: str) -> SessionRegistration | None:
    return session.registrations.active().filter(email__iexact=email).first()


def cancel(
    registration: SessionRegistration,
    *,
    now: datetime | None = None,
    by_staff: bool = False,
    user=None,
) -> SessionRegistration:
    """Give up a seat or a waitlist place. A freed seat goes to the first person waiting."""
    now = now or timezone.now()
    with transaction.atomic():
        session = InfoSession.objects.select_for_update().get(pk=registration.session_id)
        registration = SessionRegistration.objects.select_for_update().get(pk=registration.pk)
        if not registration.is_active or (not by_staff and not registration.is_manageable(now)):
            raise RegistrationError()
        registration.status = Status.CANCELLED
        registration.ics_sequence += 1
        registration.manage_token = new_manage_token()  # the old link stops working
        registration.save(update_fields=["status", "ics_sequence", "manage_token", "updated_at"])
        queue_email("session_cancelled", registration, sequence=registration.ics_sequence)
        log(registration, "consultations.registration_cancel", user=user)
        promote_waitlist(session, now=now, locked=True, user=user)
    logger.info("session registration cancelled id=%s", registration.pk)
    return registration


def promote_waitlist(
    session: InfoSession, *, now: datetime | None = None, locked: bool = False, user=None
) -> list[SessionRegistration]:
    """Fill free seats from the waitlist, first come first served, emailing each person moved
    up. Call it after a cancellation or after staff raise the capacity."""
    now = now or timezone.now()
    with transaction.atomic():
        if not locked:
            session = InfoSession.objects.select_for_update().get(pk=session.pk)
        if session.starts_at <= now:
            return []
        free = session.capacity - session.registrations.registered().count()
        promoted = list(session.registrations.waitlisted()[: max(free, 0)])
        for registration in promoted:
            _give_seat(registration, now, "consultations.promote", user)
    for registration in promoted:
        logger.info("session registration promoted id=%s", registration.pk)
    return promoted


def _give_seat(registration: SessionRegistration, now: datetime, action: str, user) -> None:
    """A waitlisted person takes a seat (under the session's lock): a new invite, an email."""
    registration.status = Status.REGISTERED
    registration.promoted_at = now
    registration.ics_sequence += 1
    registration.save(update_fields=["status", "promoted_at", "ics_sequence", "updated_at"])
    queue_email("session_promoted", registration, sequence=registration.ics_sequence)
    log(registration, action, user=user)


class NoSeatFree(RegistrationError):
    message = _("Every seat at this session is taken.")


def offer_seat(
    registration: SessionRegistration, *, now: datetime | None = None, user=None
) -> SessionRegistration:
    """Staff give one waitlisted person a free seat, whatever their place in the queue, and
    email them as a promotion does. Refused once the session has started, and when every seat
    is taken (capacity counted under the session's lock, as `register` does)."""
    now = now or timezone.now()
    with transaction.atomic():
        session = InfoSession.objects.select_for_update().get(pk=registration.session_id)
        registration = SessionRegistration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Status.WAITLISTED or session.starts_at <= now:
            raise RegistrationError()
        if session.registrations.registered().count() >= session.capacity:
            raise NoSeatFree()
        _give_seat(registration, now, "consultations.offer_seat", user)
    logger.info("session registration offered a seat id=%s", registration.pk)
    return registration


ERASED_NAME = "(erased)"


def erase(
    registration: SessionRegistration, *, now: datetime | None = None, user=None
) -> SessionRegistration:
    """Erase one person's data: cancel if still active (freeing the seat), then blank every
    personal field. The row stays, anonymous, so attendance counts stay right."""
    now = now or timezone.now()
    if registration.is_active and registration.session.starts_at > now:
        registration = cancel(registration, now=now, by_staff=True, user=user)
    with transaction.atomic():
        registration = SessionRegistration.objects.select_for_update().get(pk=registration.pk)
        erase_personal_data(registration, now=now)
        registration.save()
        log(registration, "consultations.erase", user=user)
    logger.info("session registration erased id=%s", registration.pk)
    return registration


def erase_personal_data(registration: SessionRegistration, *, now: datetime) -> None:
    registration.name = ERASED_NAME
    # Keeps the per-session email index valid while holding nothing personal.
    registration.email = f"erased-{registration.pk}@invalid"
    registration.pronouns = ""
    registration.manage_token = new_manage_token()
    registration.idempotency_key = None
    registration.erased_at = now
