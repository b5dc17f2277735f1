"""Booking, confirmation and manage pages. All are private (`no-store`, no referrer, noindex);
they call the named actions in `consultations.calls.actions`."""

import logging
import re
import uuid
from dataclasses import replace
from datetime import date, timedelta

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.log_actions import log
from wagtail.models import Page

from kindman.outage import keeps_answers
from kindman.privacy import private_form_page, private_page
from kindman.spam import rate_limited, too_many_requests
from kindman.timezones import PRACTICE_TZ_LABEL, format_local

from ..bookings import ownership
from ..bookings.pages import calendar_download, manageable
from . import actions as booking
from .emails import consultation_invite
from .forms import SLOT_REFUSALS, SLOT_TAKEN, BookingForm, RescheduleForm, bookable_therapists
from .models import Consultation
from .slots import (
    WEEK,
    all_slots,
    by_day,
    load_bookings,
    load_hours,
    load_schedule,
    local_day,
    nearest_open,
    week_start,
)

logger = logging.getLogger(__name__)

# ASCII digits only: `\d` and `str.isdigit()` also accept other scripts' digits, which `int()`
# and `date.fromisoformat()` may refuse.
WEEK_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
THERAPIST_PATTERN = re.compile(r"[0-9]{1,11}")
ONE_DAY = timedelta(days=1)


def _preselected_therapist(request):
    """`?therapist=<profile id>` from a profile in either language, as the form's choice (the
    profile in the language being read)."""
    raw = request.GET.get("therapist", "")
    if not THERAPIST_PATTERN.fullmatch(raw):
        return None
    profile = Page.objects.filter(pk=int(raw)).values("translation_key")
    return (
        bookable_therapists()
        .filter(translation_key__in=profile)
        .values_list("pk", flat=True)
        .first()
    )


def _requested_week(request) -> date | None:
    """The `?week=YYYY-MM-DD` asked for (any day of the week), or None if absent or malformed."""
    raw = request.GET.get("week", "")
    if not WEEK_PATTERN.fullmatch(raw):
        return None
    try:
        return week_start(date.fromisoformat(raw))
    except ValueError:
        return None


def _week_url(request, monday: date) -> str:
    query = request.GET.copy()
    query["week"] = monday.isoformat()
    return f"{request.path}?{query.urlencode()}"


def _slot_context(request, now, form, nearest=(), *, exclude_booking_id=None):
    """The slot picker for one week (two around a refused time and its nearest open times),
    with links to the weeks before and after within the horizon. Without a chosen week the
    first week with a time bookable online is shown."""
    plan = load_hours(now)
    first_monday, last_monday = (week_start(day) for day in (plan.first_day, plan.last_day))
    shown = [
        local_day(start)
        for start in [form.chosen_start, *(slot.start for slot in nearest)]
        if start is not None and plan.first_day <= local_day(start) <= plan.last_day
    ]
    requested = _requested_week(request)
    if shown:
        weeks = (week_start(min(shown)), week_start(max(shown)))
    else:
        monday = min(max(requested or first_monday, first_monday), last_monday)
        weeks = (monday, monday)
    while True:
        days = (max(weeks[0], plan.first_day), min(weeks[1] + WEEK - ONE_DAY, plan.last_day))
        schedule = load_bookings(
            replace(plan, first_day=days[0], last_day=days[1]),
            exclude_booking_id=exclude_booking_id,
        )
        slots = all_slots(schedule, now)
        bookable = any(not slot.call_us for slot in slots)
        if shown or requested or bookable or weeks[1] >= last_monday:
            break
        weeks = (weeks[0] + WEEK, weeks[1] + WEEK)
    return {
        "form": form,
        "form_action": request.get_full_path(),
        # Each day's times too soon to book online are one line (with the phone number), so
        # the keyboard reaches the bookable times sooner.
        "slot_days": [
            (day, [s for s in group if s.call_us], [s for s in group if not s.call_us])
            for day, group in by_day(slots)
        ],
        # Shown first on the default week only: a visitor who paged elsewhere chose that week.
        "next_slot": None
        if shown or requested
        else next((slot for slot in slots if not slot.call_us), None),
        "slot_week": {
            "first": days[0],
            "last": days[1],
            "previous_url": _week_url(request, weeks[0] - WEEK) if weeks[0] > first_monday else "",
            "next_url": _week_url(request, weeks[1] + WEEK) if weeks[1] < last_monday else "",
            # every week was looked through for the first bookable time, in vain
            "none_at_all": not (shown or requested or bookable),
        },
        "selected_slot": form["slot"].value() or "",
        "nearest": nearest,
        "tz_label": PRACTICE_TZ_LABEL,
    }


@keeps_answers(BookingForm)
@private_form_page
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def book(request):
    now = timezone.now()
    nearest = []
    status = 200
    if request.method == "POST":
        if rate_limited(request, "consultation-book"):
            return too_many_requests(request)
        # Checked for its form only: the booking asks the slot engine once, under its lock.
        form = BookingForm(request.POST, now=now)
        if form.is_spam():
            logger.info("consultation form refused: honeypot filled")
            form.add_error(None, _("We couldn't accept this form. Please call us instead."))
            status = 400
        elif form.is_valid():
            try:
                consultation, created = booking.book(
                    start=form.cleaned_data["slot"],
                    details=form.booking_details(),
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    wants_estimate=form.wants_estimate_counted,
                    now=now,
                )
            except booking.SlotTaken as taken:
                form.add_error("slot", SLOT_TAKEN)
                nearest = taken.nearest
                status = 409
            except booking.SlotUnavailable as refused:
                form.add_error("slot", SLOT_REFUSALS[refused.reason])
            else:
                if created or _may_see_again(request, consultation, now):
                    return _to_confirmation(request, consultation)
                _refuse_repeat(form)
                status = 409
        elif (earlier := _earlier_submission(request)) is not None:
            # resent after booking, e.g. Back + Submit
            if _may_see_again(request, earlier, now):
                return _to_confirmation(request, earlier)
            _refuse_repeat(form)
            status = 409
        else:
            _check_chosen_slot(form, now)
        if form.slot_taken_at and not nearest:
            nearest = nearest_open(load_schedule(now), form.slot_taken_at, now)
            status = 409
        if status == 200 and form.errors:
            status = 400
    else:
        form = BookingForm(
            now=now, initial={"preferred_therapist": _preselected_therapist(request)}
        )
    context = _slot_context(request, now, form, nearest)
    return TemplateResponse(request, "consultations/calls/book.html", context, status=status)


def _check_chosen_slot(form, now) -> None:
    """A form refused for other reasons also says what is wrong with its time, if anything."""
    start = form.cleaned_data.get("slot")
    if start is not None and "slot" not in form.errors:
        day = local_day(start)
        form.check_slot(load_schedule(now, first_day=day, last_day=day))


def _earlier_submission(request) -> Consultation | None:
    """The booking an identical earlier submission made (double click, refresh, back + resend)."""
    try:
        key = uuid.UUID(request.POST.get("idempotency_key", ""))
    except ValueError:
        return None
    return Consultation.objects.filter(idempotency_key=key).first()


# A form sent again (double click, Back and Submit) is answered with its booking's confirmation
# only in the browser that booked, and only this soon after: the key is in the page's HTML and
# must not become a lasting pass to the booking's private link.
REPEAT_WINDOW = timedelta(minutes=10)
ALREADY_SENT = _(
    "This form was already sent. If you booked a call, your confirmation email has your "
    "private link; or call us. To book another call, choose a time and send the form again."
)


def _may_see_again(request, consultation: Consultation, now) -> bool:
    return (
        ownership.calls.made_here(request, consultation.public_id)
        and consultation.created_at > now - REPEAT_WINDOW
    )


def _refuse_repeat(form) -> None:
    """Say the form was sent before, and give it a fresh key so it can be sent anew."""
    form.data = form.data.copy()
    form.data[form.add_prefix("idempotency_key")] = str(uuid.uuid4())
    form.add_error(None, ALREADY_SENT)


def _to_confirmation(request, consultation):
    response = redirect("consultations:booked", public_id=consultation.public_id)
    return ownership.calls.remember(request, response, consultation.public_id)


def _own_booking(request, public_id) -> Consultation:
    """Only the browser that booked sees the confirmation (the URL alone shows nothing)."""
    if not ownership.calls.made_here(request, public_id):
        raise Http404
    consultation = Consultation.objects.select_related("preferred_therapist").filter(
        public_id=public_id
    )
    consultation = consultation.first()
    if consultation is None or consultation.erased_at:
        raise Http404
    return consultation


@private_page
@require_GET
def booked(request, public_id):
    try:
        consultation = _own_booking(request, public_id)
    except Http404:
        return TemplateResponse(request, "consultations/calls/booked_elsewhere.html", status=404)
    context = {
        "consultation": consultation,
        "when": format_local(consultation.starts_at),
        "manage_url": reverse("consultations:manage", args=[consultation.manage_token]),
        "live": consultation.is_manageable(),
    }
    return TemplateResponse(request, "consultations/calls/booked.html", context)


def _ics_response(consultation) -> HttpResponse:
    return calendar_download(consultation_invite(consultation, method="PUBLISH"), "phone-call.ics")


@private_page
@require_GET
def booked_invite(request, public_id):
    return _ics_response(_own_booking(request, public_id))


def _manageable(token: str) -> Consultation | None:
    return manageable(Consultation.objects.select_related("preferred_therapist"), token)


def _gone(request):
    return TemplateResponse(request, "consultations/calls/manage_gone.html", status=404)


@private_page
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def manage(request, token):
    """GET only shows the booking (mail scanners follow links); changes need a button press."""
    consultation = _manageable(token)
    if consultation is None:
        return _gone(request)
    now = timezone.now()
    form = RescheduleForm(now=now)
    nearest, status = [], 200
    if request.method == "POST":
        if rate_limited(request, "consultation-manage"):
            return too_many_requests(request)
        action = request.POST.get("action")
        try:
            if action == "cancel":
                log(booking.cancel(consultation, now=now), "consultations.client_cancel")
                return redirect("consultations:manage_done", outcome="cancelled")
            if action == "delete":
                log(booking.erase(consultation, now=now), "consultations.client_erase")
                return redirect("consultations:manage_done", outcome="deleted")
            if action == "reschedule":
                form = RescheduleForm(request.POST, now=now)
                if form.is_valid():
                    try:
                        moved = booking.reschedule(
                            consultation, start=form.cleaned_data["slot"], now=now
                        )
                    except booking.SlotTaken as taken:
                        form.add_error("slot", SLOT_TAKEN)
                        nearest = taken.nearest
                    except booking.SlotUnavailable as refused:
                        form.add_error("slot", SLOT_REFUSALS[refused.reason])
                    else:
                        log(moved, "consultations.client_reschedule")
                        return redirect("consultations:manage", token=moved.manage_token)
                status = 400
            else:
                status = 400
        except booking.BookingError:
            return _gone(request)
    context = {
        **_slot_context(request, now, form, nearest, exclude_booking_id=consultation.pk),
        "consultation": consultation,
        "when": format_local(consultation.starts_at),
        "token": token,
    }
    return TemplateResponse(request, "consultations/calls/manage.html", context, status=status)


@private_page
@require_GET
def manage_confirm(request, token, action):
    """Cancel and delete each ask once more on a page of their own; the button posts to the
    manage page, which does it."""
    if action not in {"cancel", "delete"}:
        raise Http404
    consultation = _manageable(token)
    if consultation is None:
        return _gone(request)
    context = {"action": action, "token": token, "when": format_local(consultation.starts_at)}
    return TemplateResponse(request, "consultations/calls/manage_confirm.html", context)


@private_page
@require_GET
def manage_invite(request, token):
    consultation = _manageable(token)
    if consultation is None:
        return _gone(request)
    return _ics_response(consultation)


@private_page
@require_GET
def manage_done(request, outcome):
    if outcome not in {"cancelled", "deleted"}:
        raise Http404
    return TemplateResponse(request, "consultations/calls/manage_done.html", {"outcome": outcome})
