"""The calls in the Care Coordinator's workspace: the agenda (today's and upcoming calls and
sessions by Pacific-time day), one call's page with its actions, the bookings list with its
filters and export, and the coordinators' hours."""

from collections import defaultdict
from datetime import datetime, timedelta

import django_filters
from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
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
from ..calls.models import AvailabilityException, Consultation, Coordinator
from ..sessions.models import InfoSession
from .base import (
    CALL_PERMISSION,
    LOG_ACTIONS,
    WorkspaceViewMixin,
    permission_menu_item,
    require,
)
from .emails import EmailProblems


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


class ConsultationExportMixin(FormulaSafeExportMixin):
    export_headings = {
        "starts_at": "Call starts (UTC)",
        "name": "Name to use",
        "preferred_therapist": "Preferred therapist",
        "matched_therapist": "Matched therapist",
    }


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
        context.update(
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


@require_POST
def call_action(request, pk, action):
    """confirm / complete / no_show / cancel / outcome, each a button on the call's page."""
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
            call.status = new_status
            if form is not None:
                call.matched_therapist = form.cleaned_data["matched_therapist"]
                call.outcome_notes = form.cleaned_data["outcome_notes"]
            call.save()
            log(call, f"consultations.{action}", user=request.user)
        messages.success(request, f"{LOG_ACTIONS[f'consultations.{action}'][1]}.")
    elif action == "cancel":
        try:
            with transaction.atomic():
                call = booking.cancel(call)
                log(call, "consultations.cancel", user=request.user)
        except booking.BookingError:
            messages.error(request, "Only an upcoming call can be cancelled.")
            return back
        messages.success(request, "Cancelled the call. The client gets an email.")
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
            path("call/<int:pk>/<slug:action>/", call_action, name="action"),
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


class ContactPreferencesColumn(Column):
    cell_template_name = "consultations/workspace/contact_cell.html"


class ConsultationIndexView(ConsultationExportMixin, IndexView):
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
        "starts_at",
        "status",
        "name",
        "phone",
        ContactPreferencesColumn("contact", label="Contact preferences"),
        "preferred_therapist",
        "matched_therapist",
        "coordinator",
    ]
    list_export = [
        "starts_at",
        "status",
        "name",
        "coordinator",
        "interest",
        "state",
        "may_leave_voicemail",
        "may_text",
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
                    FieldPanel("preferred_therapist"),
                    FieldPanel("note"),
                ],
                heading="What they're looking for",
            ),
        ],
        base_form_class=ConsultationAdminForm,
    )
