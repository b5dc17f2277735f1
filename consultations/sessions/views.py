"""Information-session pages. The list is a public reading page (cookie-free, cacheable); the
detail page holds the registration form and, like the confirmation and manage pages, is private
(`no-store`, no referrer, noindex). Each view calls a named action in `consultations.sessions.actions`."""

import logging

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.log_actions import log

from kindman import structured_data
from kindman.origin import public_url
from kindman.outage import keeps_answers
from kindman.privacy import private_form_page, private_page
from kindman.spam import rate_limited, too_many_requests
from kindman.timezones import format_local

from ..bookings.pages import calendar_download, manageable
from . import actions as sessions
from .emails import session_invite, shows_join_link
from .forms import SessionRegistrationForm
from .models import InfoSession, SessionRegistration

logger = logging.getLogger(__name__)


@require_GET
def session_list(request):
    now = timezone.now()
    context = {"sessions": InfoSession.objects.for_listing(now), "now": now}
    return TemplateResponse(request, "consultations/sessions/list.html", context)


@keeps_answers(SessionRegistrationForm)
@private_form_page
@require_http_methods(["GET", "POST"])
def session_detail(request, slug):
    now = timezone.now()
    session = get_object_or_404(InfoSession.objects.with_seats_taken(), slug=slug, published=True)
    status = 200
    if request.method == "POST":
        if rate_limited(request, "session-register"):
            return too_many_requests(request)
        form = SessionRegistrationForm(request.POST)
        if form.is_spam():
            logger.info("session form refused: honeypot filled")
            form.add_error(None, _("We couldn't accept this form. Please call us instead."))
            status = 400
        elif form.is_valid():
            try:
                sessions.register(
                    session,
                    details=form.registration_details(),
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    now=now,
                )
            except sessions.RegistrationError as refused:
                form.add_error(None, refused.message)
                status = 409
            else:
                # A new place, an address that already has one and a repeated submission all
                # get this same answer: the page never tells whose address is on the list.
                # The details go to the address itself.
                return redirect("consultations:session_check_email", slug=session.slug)
        if status == 200 and form.errors:
            status = 400
    else:
        form = SessionRegistrationForm()
    context = {
        "session": session,
        "form": form,
        "state": session.registration_state(now),
        "seats_left": session.seats_left(),
    }
    context["structured_data"] = structured_data.event(
        session,
        page_url=public_url(reverse("consultations:session_detail", args=[session.slug])),
        seats_left=context["seats_left"],
        request=request,
    )
    return TemplateResponse(request, "consultations/sessions/detail.html", context, status=status)


def _registration_context(registration) -> dict:
    return {
        "registration": registration,
        "session": registration.session,
        "when": format_local(registration.session.starts_at),
        "join_url": registration.session.join_url if shows_join_link(registration) else "",
        "position": registration.waitlist_position,
    }


@private_page
@require_GET
def session_check_email(request, slug):
    session = get_object_or_404(InfoSession, slug=slug, published=True)
    return TemplateResponse(
        request, "consultations/sessions/check_email.html", {"session": session}
    )


def _ics_response(registration) -> HttpResponse:
    return calendar_download(session_invite(registration, method="PUBLISH"), "session.ics")


def _manageable(token: str) -> SessionRegistration | None:
    return manageable(SessionRegistration.objects.select_related("session"), token)


def _gone(request):
    return TemplateResponse(request, "consultations/sessions/manage_gone.html", status=404)


@private_page
@require_http_methods(["GET", "POST"])
def session_manage(request, token):
    """GET only shows the registration (mail scanners follow links); cancelling needs a button."""
    registration = _manageable(token)
    if registration is None:
        return _gone(request)
    if request.method == "POST":
        if rate_limited(request, "session-manage"):
            return too_many_requests(request)
        action = request.POST.get("action")
        try:
            if action == "cancel":
                sessions.cancel(registration)
                return redirect("consultations:session_manage_done", outcome="cancelled")
            if action == "delete":
                sessions.erase(registration)
                return redirect("consultations:session_manage_done", outcome="deleted")
        except sessions.RegistrationError:
            return _gone(request)
    context = {**_registration_context(registration), "token": token}
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "consultations/sessions/manage.html", context, status=status)


@private_page
@require_GET
def session_manage_confirm(request, token, action):
    """Cancel and delete each ask once more on a page of their own; the button posts to the
    manage page, which does it."""
    if action not in {"cancel", "delete"}:
        raise Http404
    registration = _manageable(token)
    if registration is None:
        return _gone(request)
    context = {**_registration_context(registration), "token": token, "action": action}
    return TemplateResponse(request, "consultations/sessions/manage_confirm.html", context)


@private_page
@require_http_methods(["GET", "POST"])
def session_not_me(request, token):
    """ "I didn't sign up": the link in every registration email. It names no session (the
    address may belong to someone who never asked for it), and one button erases the
    registration. GET only shows the button: mail scanners follow links."""
    registration = _manageable(token)
    if registration is None:
        return _gone(request)
    if request.method == "POST":
        if rate_limited(request, "session-manage"):
            return too_many_requests(request)
        sessions.erase(registration)
        log(registration, "consultations.not_me")
        return redirect("consultations:session_manage_done", outcome="deleted")
    return TemplateResponse(request, "consultations/sessions/not_me.html", {"token": token})


@private_page
@require_GET
def session_manage_invite(request, token):
    registration = _manageable(token)
    if registration is None or registration.status != SessionRegistration.Status.REGISTERED:
        return _gone(request)
    return _ics_response(registration)


@private_page
@require_GET
def session_manage_done(request, outcome):
    if outcome not in {"cancelled", "deleted"}:
        raise Http404
    return TemplateResponse(
        request, "consultations/sessions/manage_done.html", {"outcome": outcome}
    )
