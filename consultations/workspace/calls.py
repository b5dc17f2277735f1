"""The calls in the Care Coordinator's workspace: the agenda (today's and upcoming calls and
sessions by Pacific-time day), one call's page with its actions, the bookings list with its
filters and export, and the coordinators' hours."""

from collections import defaultdict
from datetime import datetime, timedelta

import django_filters
from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Case, Count, F, Q, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from kindman.exports import FormulaSafeExportMixin
from kindman.models import EmailDelivery
from kindman.timezones import PRACTICE_TZ, PRACTICE_TZ_LABEL

from ..calls import actions as booking
from ..calls.admin_forms import ConsultationAdminForm
from ..calls.emails import CLIENT_CONFIRMATIONS
from ..calls.models import AvailabilityException, Consultation, Coordinator, display_phone
from ..sessions.models import InfoSession
from .base import (
    CALL_PERMISSION,
    LOG_ACTIONS,
    WorkspaceViewMixin,
    permission_menu_item,
    require,
)
from .emails import EmailProblems
from .estimates import estimates_to_send, mark_estimate_sent


class ConsultationFilterSet(WagtailFilterSet):
    starts_at = django_filters.DateFromToRangeFilter(
        label="Call date", widget=DateRangePickerWidget
    )

    class Meta:
        model = Consultation
        fields = [
            "status",
            "starts_at",
            "interest",
            "preferred_therapist",
            "matched_therapist",
            "coordinator",
            "discreet",
            "language",
        ]


def pacific_time(value: datetime) -> str:
    """A time as the practice reads it, zone named, no seconds: "2026-12-05 10:00 AM PT"."""
    return f"{value.astimezone(PRACTICE_TZ):%Y-%m-%d %-I:%M %p} PT"


def labels_of(choices):
    labels = dict(choices)
    return lambda value: str(labels.get(value, value))


def yes_no(value) -> str:
    return "Yes" if value else "No"


def in_every_format(function) -> dict:
    return {
        FormulaSafeExportMixin.FORMAT_CSV: function,
        FormulaSafeExportMixin.FORMAT_XLSX: function,
    }


class ConsultationExportMixin(FormulaSafeExportMixin):
    """The spreadsheet in the coordinator's words: Pacific times, choice labels, phone numbers
    as dialled, Yes/No."""

    export_headings = {
        "starts_at": f"Call starts ({PRACTICE_TZ_LABEL})",
        "name": "Name to use",
        "phone": "Phone",
        "preferred_therapist": "Preferred therapist",
        "matched_therapist": "Matched therapist",
    }
    custom_field_preprocess = {
        "starts_at": in_every_format(pacific_time),
        "status": in_every_format(labels_of(Consultation.Status.choices)),
        "interest": in_every_format(labels_of(Consultation.Interest.choices)),
        "phone": in_every_format(display_phone),
        **{
            field: in_every_format(yes_no)
            for field in ("may_leave_voicemail", "may_text", "may_say_practice_name", "discreet")
        },
    }


class WorkspaceColumnMedia:
    """The workspace stylesheet for the lists: contact badges, cells that must not wrap."""

    class Media:
        css = {"all": ["css/workspace.css"]}


def short_pacific_time(value: datetime) -> str:
    """A start time for a list cell, the zone named in the column heading: "Sat Dec 5,
    11:30 AM". The year only when it is not this one, so the cell stays short."""
    local = value.astimezone(PRACTICE_TZ)
    year = "" if local.year == timezone.localdate().year else f" {local.year}"
    return f"{local:%a %b} {local.day}{year}, {local:%-I:%M %p}"


class CallTimeColumn(WorkspaceColumnMedia, TitleColumn):
    """The call's Pacific time on one line, linking to the call's page."""

    def get_value(self, instance):
        return short_pacific_time(instance.starts_at)


class StartsAtColumn(WorkspaceColumnMedia, Column):
    """A start time on one line in Pacific time."""

    def get_value(self, instance):
        return short_pacific_time(instance.starts_at)


class UpcomingFirstMixin:
    """Unless a column is chosen: what is still to come first, soonest first, then what is
    past, most recent first (what the coordinator works on before what is done)."""

    def order_queryset(self, queryset):
        if self.is_explicitly_ordered:
            return super().order_queryset(queryset)
        now = timezone.now()
        upcoming_at = Case(When(starts_at__gte=now, then=F("starts_at")), default=None)
        return queryset.order_by(upcoming_at.asc(nulls_last=True), F("starts_at").desc(), "-pk")


def local_day_start(now: datetime) -> datetime:
    local = now.astimezone(PRACTICE_TZ)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


class AgendaView(WorkspaceViewMixin, TemplateView):
    """Today's calls (every status) and the active calls and sessions of the next two weeks,
    grouped by day in Pacific Time."""

    template_name = "consultations/workspace/agenda.html"
    page_title = "Agenda"
    header_icon = "calendar"
    days_ahead = 14

    def dispatch(self, request, *args, **kwargs):
        require(request, CALL_PERMISSION)
        return super().dispatch(request, *args, **kwargs)

    def get_parent_breadcrumbs(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        start = local_day_start(now)
        end = start + timedelta(days=self.days_ahead + 1)
        tomorrow = start + timedelta(days=1)
        calls = (
            Consultation.objects.filter(starts_at__gte=start, starts_at__lt=end)
            .filter(Q(starts_at__lt=tomorrow) | Q(status__in=Consultation.ACTIVE_STATUSES))
            .exclude(erased_at__isnull=False)
            .with_phone_clash()
            .select_related("coordinator", "preferred_therapist")
            .order_by("starts_at", "pk")
        )
        info_sessions = (
            InfoSession.objects.filter(starts_at__gte=start, starts_at__lt=end)
            .annotate(
                registered=Count("registrations", filter=Q(registrations__status="registered")),
                waiting=Count("registrations", filter=Q(registrations__status="waitlisted")),
            )
            .order_by("starts_at", "pk")
        )
        days = defaultdict(lambda: {"calls": [], "sessions": []})
        for call in calls:
            days[call.starts_at_local.date()]["calls"].append(call)
        for session in info_sessions:
            days[session.starts_at_local.date()]["sessions"].append(session)
        context.update(
            days=sorted(days.items()),
            today=start.date(),
            tz_label=PRACTICE_TZ_LABEL,
            now=now,
            email_problems=EmailProblems.load(),
            **estimates_to_send(now),
        )
        return context


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["matched_therapist", "outcome_notes"]
        widgets = {"outcome_notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from therapists.models import TherapistPage

        field = self.fields["matched_therapist"]
        field.queryset = TherapistPage.objects.live().order_by("title")
        field.empty_label = "Not matched yet"


class CallView(WorkspaceViewMixin, TemplateView):
    """One call: the contact preferences first, then the details, the actions and the outcome."""

    template_name = "consultations/workspace/call.html"
    header_icon = "mail"
    outcome_form = None  # a refused outcome form, passed by `call_action`

    def dispatch(self, request, *args, **kwargs):
        require(request, CALL_PERMISSION)
        self.call = get_object_or_404(
            Consultation.objects.select_related(
                "coordinator", "preferred_therapist", "matched_therapist"
            ),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.outcome_form is None:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return self.render_to_response(self.get_context_data(), status=400)

    def get_page_title(self):
        return f"Call with {self.call.name}"

    def get_page_subtitle(self):
        local = self.call.starts_at_local
        return f"{local:%A, %B} {local.day}, {local:%-I:%M %p} PT"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unsent = list(self.call.deliveries.needing_attention().order_by("-created_at", "-pk"))
        # Said plainly while the call is still to come: the client may not know its time.
        unconfirmed = (
            {d.status for d in unsent if d.kind in CLIENT_CONFIRMATIONS}
            if self.call.is_manageable()
            else set()
        )
        begun = self.call.is_active and self.call.starts_at <= timezone.now()
        context.update(
            begun=begun,
            has_actions=self.call.status == Consultation.Status.REQUESTED or begun,
            unsent_emails=[(delivery, None) for delivery in unsent],  # this call's own
            confirmation_failed=EmailDelivery.Status.FAILED in unconfirmed,
            confirmation_retrying=EmailDelivery.Status.RETRYING in unconfirmed,
            call=self.call,
            outcome_form=self.outcome_form or OutcomeForm(instance=self.call),
            history_url=reverse("consultation_bookings:history", args=[self.call.pk]),
            edit_url=reverse("consultation_bookings:edit", args=[self.call.pk]),
            manageable=self.call.is_manageable(),
            same_phone=(
                Consultation.objects.active()
                .filter(phone=self.call.phone)
                .exclude(pk=self.call.pk)
                .order_by("starts_at")
                if self.call.phone
                else []
            ),
        )
        return context


STATUS_ACTIONS = {
    # action: (new status, allowed from)
    "confirm": (Consultation.Status.CONFIRMED, (Consultation.Status.REQUESTED,)),
    "complete": (Consultation.Status.COMPLETED, Consultation.ACTIVE_STATUSES),
    "no_show": (Consultation.Status.NO_SHOW, Consultation.ACTIVE_STATUSES),
}
# Only a call that has begun can have happened (or been missed); marking a future call done
# would end the client's link and take its time out of the agenda early.
AFTER_START_ACTIONS = {"complete", "no_show"}


def cancel_message(call) -> str:
    """What happens next, truthfully: only a client who gave an email hears from us."""
    if call.email:
        return "Cancelled the call. The client gets an email."
    return "Cancelled the call. They gave no email address: call them to let them know."


@require_POST
def call_action(request, pk, action):
    """confirm / complete / no_show / outcome, each a button on the call's page (cancelling
    has a confirmation page of its own, `CancelCallView`)."""
    require(request, CALL_PERMISSION)
    call = get_object_or_404(Consultation, pk=pk)
    back = redirect("consultation_agenda:call", pk=call.pk)
    if call.erased_at:
        messages.error(request, "This booking's data was erased; it can't be changed.")
        return back
    if action in STATUS_ACTIONS:
        new_status, allowed = STATUS_ACTIONS[action]
        form = OutcomeForm(request.POST, instance=call) if action == "complete" else None
        if form is not None and not form.is_valid():
            return CallView.as_view(outcome_form=form)(request, pk=pk)
        with transaction.atomic():
            call = Consultation.objects.select_for_update().get(pk=pk)
            if call.status not in allowed:
                messages.error(
                    request,
                    f"A {call.get_status_display().lower()} call can't be changed that way.",
                )
                return back
            if action in AFTER_START_ACTIONS and call.starts_at > timezone.now():
                messages.error(request, "The call hasn't begun yet: mark it once it has.")
                return back
            call.status = new_status
            if form is not None:
                call.matched_therapist = form.cleaned_data["matched_therapist"]
                call.outcome_notes = form.cleaned_data["outcome_notes"]
            call.save()
            log(call, f"consultations.{action}", user=request.user)
        messages.success(request, f"{LOG_ACTIONS[f'consultations.{action}'][1]}.")
    elif action == "outcome":
        form = OutcomeForm(request.POST, instance=call)
        if not form.is_valid():
            return CallView.as_view(outcome_form=form)(request, pk=pk)
        with transaction.atomic():
            form.save()
            log(call, "consultations.outcome", user=request.user)
        messages.success(request, "Saved the outcome.")
    else:
        raise Http404  # an unknown action is never a change
    return back


class EraseView(WorkspaceViewMixin, TemplateView):
    """ "Erase this person's data": a confirmation page, then a POST that erases."""

    template_name = "consultations/workspace/erase.html"
    header_icon = "bin"
    page_title = "Erase this person's data"
    permission = CALL_PERMISSION

    def dispatch(self, request, *args, **kwargs):
        require(request, self.permission)
        self.subject = get_object_or_404(
            self.get_queryset(), pk=kwargs["pk"], erased_at__isnull=True
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "subject": self.subject,
            "back_url": self.back_url(),
        }

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            self.erase(self.subject, user=request.user)
        messages.success(
            request, "The person's data is erased. The anonymous record stays for counts."
        )
        return redirect(self.back_url())


class EraseCallView(EraseView):
    def get_queryset(self):
        return Consultation.objects.all()

    def back_url(self):
        return reverse("consultation_agenda:call", args=[self.subject.pk])

    def erase(self, call, *, user):
        call = booking.erase(call)
        log(call, "consultations.erase", user=user)
        return call


class CancelCallView(WorkspaceViewMixin, TemplateView):
    """ "Cancel this call": a page saying who hears about it, then a POST that cancels."""

    template_name = "consultations/workspace/cancel.html"
    header_icon = "cross"
    page_title = "Cancel this call"

    def dispatch(self, request, *args, **kwargs):
        require(request, CALL_PERMISSION)
        self.call = get_object_or_404(Consultation, pk=kwargs["pk"], erased_at__isnull=True)
        return super().dispatch(request, *args, **kwargs)

    def back_url(self):
        return reverse("consultation_agenda:call", args=[self.call.pk])

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "call": self.call,
            "back_url": self.back_url(),
        }

    def post(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                call = booking.cancel(self.call)
                log(call, "consultations.cancel", user=request.user)
        except booking.BookingError:
            messages.error(request, "Only an upcoming call can be cancelled.")
            return redirect(self.back_url())
        messages.success(request, cancel_message(call))
        return redirect(self.back_url())


class AgendaViewSet(ViewSet):
    name = "consultation_agenda"
    icon = "calendar"
    menu_label = "Agenda"
    url_prefix = "consultations/agenda"
    menu_item_class = permission_menu_item(CALL_PERMISSION)

    def get_urlpatterns(self):
        return [
            path("", AgendaView.as_view(), name="index"),
            path("call/<int:pk>/", CallView.as_view(), name="call"),
            path("call/<int:pk>/erase/", EraseCallView.as_view(), name="erase"),
            path("call/<int:pk>/cancel/", CancelCallView.as_view(), name="cancel"),
            path("call/<int:pk>/<slug:action>/", call_action, name="action"),
            path("estimate/<int:pk>/sent/", mark_estimate_sent, name="estimate_sent"),
        ]


class CoordinatorViewSet(ModelViewSet):
    model = Coordinator
    name = "consultation_coordinators"
    icon = "user"
    menu_label = "Coordinators & hours"
    list_display = ["name", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
    copy_view_enabled = False


class AvailabilityExceptionViewSet(ModelViewSet):
    model = AvailabilityException
    name = "consultation_exceptions"
    icon = "date"
    menu_label = "Days off & extra hours"
    list_display = ["date", "kind", "coordinator", "start_time", "end_time", "reason"]
    list_filter = ["kind", "coordinator", "date"]
    ordering = ["-date"]
    copy_view_enabled = False


class ContactPreferencesColumn(WorkspaceColumnMedia, Column):
    cell_template_name = "consultations/workspace/contact_cell.html"


class TherapistColumn(Column):
    """The therapist matched, and the one asked for when it differs: one column for both
    keeps the list within a laptop screen."""

    cell_template_name = "consultations/workspace/therapist_cell.html"


class ConsultationIndexView(UpcomingFirstMixin, ConsultationExportMixin, IndexView):
    page_title = _("Bookings")  # as the menu names it
    add_item_label = _("Add a booking")  # one taken by phone

    def get_base_queryset(self):
        return Consultation.objects.for_admin_list().select_related("matched_therapist")

    def get_edit_url(self, instance):
        # A row opens the call's workspace page (actions, outcome); it links on to the edit form.
        return reverse("consultation_agenda:call", args=[instance.pk])


class ConsultationViewSet(ModelViewSet):
    """Every call, with filters and the spreadsheet export."""

    model = Consultation
    index_view_class = ConsultationIndexView
    name = "consultation_bookings"
    icon = "mail"
    menu_label = "Bookings"
    filterset_class = ConsultationFilterSet
    list_display = [
        CallTimeColumn(
            "starts_at",
            label=_("Call time (Pacific Time)"),
            sort_key="starts_at",
            classname="ws-nowrap",
            get_url=lambda call: reverse("consultation_agenda:call", args=[call.pk]),
        ),
        "status",
        "name",
        Column("phone", label=_("Phone"), accessor="phone_display", classname="ws-nowrap"),
        ContactPreferencesColumn("contact", label=_("Contact preferences")),
        TherapistColumn("therapist", label=_("Therapist")),
        "coordinator",
    ]
    list_export = [
        "starts_at",
        "status",
        "name",
        "phone",
        "coordinator",
        "interest",
        "state",
        "payment",
        "session_location",
        "may_leave_voicemail",
        "may_text",
        "may_say_practice_name",
        "discreet",
        "preferred_therapist",
        "matched_therapist",
    ]
    search_fields = ["name", "phone", "email"]
    ordering = ["-starts_at"]
    copy_view_enabled = False
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("status"), FieldPanel("coordinator"), FieldPanel("starts_at")],
                heading="Call (times in Pacific Time; changes are checked against the rules)",
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("name"), FieldPanel("pronouns")]),
                    FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                    FieldPanel("best_times"),
                    FieldRowPanel(
                        [
                            FieldPanel("may_leave_voicemail"),
                            FieldPanel("may_text"),
                            FieldPanel("may_say_practice_name"),
                            FieldPanel("discreet"),
                        ]
                    ),
                ],
                heading="Contact and preferences",
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("interest"), FieldPanel("state")]),
                    FieldRowPanel([FieldPanel("payment"), FieldPanel("session_location")]),
                    FieldPanel("preferred_therapist"),
                    FieldPanel("note"),
                ],
                heading="What they're looking for",
            ),
        ],
        base_form_class=ConsultationAdminForm,
    )
