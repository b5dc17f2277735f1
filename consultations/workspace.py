"""The Care Coordinator's workspace in the Wagtail admin: the agenda (today's and upcoming calls
and sessions, by Pacific-time day), one call's page with its actions (confirm, completed, no-show,
cancel, outcome, erase), information sessions with their rosters, and spreadsheet exports that
never turn what a client typed into a formula.

Only superusers and the Care coordinators group hold the model permissions these views check;
Editors get 403 on every URL here and see no menu item. Every change is written to Wagtail's
audit log (`wagtail.log_actions.log`) with the user who made it."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter, log

from kindman.exports import FormulaSafeExportMixin

from . import booking, sessions, tasks
from .models import Consultation, EmailDelivery, InfoSession, SessionRegistration
from .timezones import PRACTICE_TZ, PRACTICE_TZ_LABEL

CALL_PERMISSION = "consultations.change_consultation"
SESSION_PERMISSION = "consultations.change_sessionregistration"

# Log action name → (label in the history filter, message in the history).
LOG_ACTIONS = {
    "consultations.book": ("Book call", "Booked by the client online"),
    "consultations.client_cancel": ("Client cancel", "Cancelled by the client (manage link)"),
    "consultations.client_reschedule": ("Client reschedule", "Moved by the client (manage link)"),
    "consultations.client_erase": ("Client erase", "Deleted by the client (manage link)"),
    "consultations.confirm": ("Confirm call", "Confirmed the call"),
    "consultations.complete": ("Mark call completed", "Marked the call completed"),
    "consultations.no_show": ("Mark no-show", "Marked the call as a no-show"),
    "consultations.cancel": ("Cancel call", "Cancelled the call and emailed the client"),
    "consultations.outcome": ("Record outcome", "Recorded the outcome"),
    "consultations.erase": ("Erase personal data", "Erased the person's data on request"),
    "consultations.attendance": ("Mark attendance", "Marked attendance"),
    "consultations.registration_cancel": (
        "Cancel registration",
        "Cancelled the registration (the next person waiting was offered the seat)",
    ),
    "consultations.promote": ("Promote from waitlist", "Moved up from the waitlist"),
    "consultations.not_me": (
        "Not me",
        "Removed through the email's \"didn't sign up\" link: the address's owner never asked for it",
    ),
    "consultations.registered": ("Register", "Registered for the session"),
    "consultations.waitlisted": ("Join waitlist", "Joined the waitlist"),
}


class WorkspaceViewMixin(WagtailAdminTemplateMixin):
    """Breadcrumbs ending in this page's title (the slim header shows them)."""

    def get_parent_breadcrumbs(self) -> list[dict]:
        return [{"url": reverse("consultation_agenda:index"), "label": "Agenda"}]

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            *self.get_parent_breadcrumbs(),
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def permission_menu_item(permission: str):
    class PermissionMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm(permission)

    return PermissionMenuItem


# --- calls: list filters and exports ------------------------------------------------------


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
        ]


class ConsultationExportMixin(FormulaSafeExportMixin):
    export_headings = {
        "starts_at": "Call starts (UTC)",
        "name": "Name to use",
        "preferred_therapist": "Preferred therapist",
        "matched_therapist": "Matched therapist",
    }


# --- the agenda and one call's page -------------------------------------------------------


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
        _require(request, CALL_PERMISSION)
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


# --- emails that have not gone out ---------------------------------------------------------


@dataclass(frozen=True)
class BookingLink:
    label: str
    url: str  # empty: the label alone (the person, on their session's roster)


def booking_link(delivery: EmailDelivery) -> BookingLink | None:
    """Where staff act on a delivery's booking: the call's page, or the session's roster. Named
    by its time (and session), never by the client's name or address."""
    subject = delivery.subject_object if delivery.content_type_id else None
    if isinstance(subject, Consultation):
        local = subject.starts_at_local
        return BookingLink(
            f"Call on {local:%a, %b} {local.day} at {local:%-I:%M %p} PT",
            reverse("consultation_agenda:call", args=[subject.pk]),
        )
    if isinstance(subject, SessionRegistration):
        local = subject.session.starts_at_local
        return BookingLink(
            f"{subject.session.title}, {local:%a, %b} {local.day}",
            reverse("info_sessions:roster", args=[subject.session_id]),
        )
    return None


@dataclass(frozen=True)
class EmailProblems:
    """Failed and retrying emails: how many, and the newest few with their bookings."""

    count: int
    rows: list  # (delivery, BookingLink | None)

    SHOWN = 10

    @classmethod
    def load(cls) -> "EmailProblems":
        problems = EmailDelivery.objects.needing_attention()
        count = problems.count()
        newest = (
            problems.with_bookings().order_by("-created_at", "-pk")[: cls.SHOWN] if count else []
        )
        return cls(count, [(delivery, booking_link(delivery)) for delivery in newest])


class EmailDeliveryIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().with_bookings()


class BookingColumn(Column):
    cell_template_name = "consultations/workspace/booking_cell.html"

    def get_value(self, instance):
        return booking_link(instance)


class RetryColumn(Column):
    """A "Retry" button on failed and retrying rows, for staff who may use it."""

    cell_template_name = "consultations/workspace/retry_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context["request"]
        query = request.GET.urlencode()
        context.update(
            can_retry=instance.needs_attention and request.user.has_perm(CALL_PERMISSION),
            csrf_token=get_token(request),
            # Back to the list as filtered (the same on the list's own filter requests).
            next=reverse("consultation_emails:index") + (f"?{query}" if query else ""),
        )
        return context


class EmailProblemsPanel(Component):
    """The Wagtail dashboard's list of emails that have not gone out; registered only for staff
    with the calls permission (`wagtail_hooks`)."""

    name = "email_problems"
    template_name = "consultations/workspace/email_problems_panel.html"
    order = 50  # above Wagtail's own panels: this needs someone to act

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        return {
            "problems": EmailProblems.load(),
            "request": request,
            "csrf_token": parent_context["csrf_token"],
            "next": request.get_full_path(),
        }


@require_POST
def retry_email(request, pk):
    """ "Retry" on a failed or retrying email: sent again now, and noted in its booking's
    history (or the delivery's, when the booking is gone)."""
    _require(request, CALL_PERMISSION)
    delivery = get_object_or_404(EmailDelivery.objects.with_bookings(), pk=pk)
    with transaction.atomic():
        queued = tasks.retry(delivery)
        if queued:
            subject = delivery.subject_object if delivery.content_type_id else None
            log(
                subject or delivery,
                "consultations.email_retry",
                user=request.user,
                data={"kind": delivery.get_kind_display()},
            )
    if queued:
        messages.success(
            request,
            f"Sending “{delivery.get_kind_display()}” again. If it fails, it shows here again.",
        )
    else:
        messages.info(request, "That email has been sent or is no longer needed.")
    return redirect(
        get_valid_next_url_from_request(request) or reverse("consultation_emails:index")
    )


class EmailRetryFormatter(LogFormatter):
    label = "Retry email"

    def format_message(self, log_entry):
        return f"Asked for “{log_entry.data.get('kind', 'an email')}” to be sent again"


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
        _require(request, CALL_PERMISSION)
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
            {d.status for d in unsent if d.kind in EmailDelivery.CLIENT_CONFIRMATIONS}
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
    _require(request, CALL_PERMISSION)
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
        _require(request, self.permission)
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


# --- information sessions and their rosters -----------------------------------------------


class InfoSessionIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(
                registered=Count("registrations", filter=Q(registrations__status="registered")),
                waiting=Count("registrations", filter=Q(registrations__status="waitlisted")),
            )
        )


class RosterLinkColumn(Column):
    cell_template_name = "consultations/workspace/roster_cell.html"


class InfoSessionEditView(EditView):
    def save_instance(self):
        session = super().save_instance()
        # More seats (or a later start) may free places for the people waiting.
        sessions.promote_waitlist(session, user=self.request.user)
        return session


class InfoSessionViewSet(ModelViewSet):
    model = InfoSession
    name = "info_sessions"
    icon = "group"
    menu_label = "Information sessions"
    index_view_class = InfoSessionIndexView
    list_display = [
        "title",
        "starts_at",
        "format",
        "capacity",
        Column("registered", label="Registered"),
        Column("waiting", label="Waiting"),
        RosterLinkColumn("roster", label="Roster"),
    ]
    list_filter = ["format", "published"]
    search_fields = ["title", "audience"]
    ordering = ["-starts_at"]
    copy_view_enabled = False
    inspect_view_enabled = False

    edit_view_class = InfoSessionEditView

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/roster/", RosterView.as_view(), name="roster"),
        ]


class RosterView(WorkspaceViewMixin, TemplateView):
    """Who is coming (attendance marking) and who is waiting, in the order they'll be offered a
    seat. Names are what people typed: the template escapes them like everything else."""

    template_name = "consultations/workspace/roster.html"
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        _require(request, SESSION_PERMISSION)
        self.session = get_object_or_404(InfoSession, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Roster: {self.session.title}"

    def get_parent_breadcrumbs(self):
        return [{"url": reverse("info_sessions:index"), "label": "Information sessions"}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roster = list(self.session.registrations.roster())
        by_pk = {registration.pk: registration for registration in roster}
        unsent = EmailDelivery.objects.needing_attention().filter(
            content_type=ContentType.objects.get_for_model(SessionRegistration),
            object_id__in=by_pk,
        )
        export_base = reverse("session_registrations:index") + f"?session={self.session.pk}"
        context.update(
            unsent_emails=[
                (delivery, BookingLink(by_pk[delivery.object_id].name, ""))
                for delivery in unsent.order_by("-created_at", "-pk")
            ],
            session=self.session,
            registered=[r for r in roster if r.status == SessionRegistration.Status.REGISTERED],
            waiting=[r for r in roster if r.status == SessionRegistration.Status.WAITLISTED],
            cancelled=[r for r in roster if r.status == SessionRegistration.Status.CANCELLED],
            attendance_choices=SessionRegistration.Attendance.choices,
            csv_url=export_base + "&export=csv",
            xlsx_url=export_base + "&export=xlsx",
            started=self.session.starts_at <= timezone.now(),
        )
        return context

    def post(self, request, *args, **kwargs):
        """Attendance for every registered person in one form; each change is logged."""
        valid = {value for value, _label in SessionRegistration.Attendance.choices}
        with transaction.atomic():
            for registration in self.session.registrations.registered().select_for_update():
                value = request.POST.get(f"attendance-{registration.pk}")
                if value is None or value not in valid or value == registration.attendance:
                    continue
                registration.attendance = value
                registration.save(update_fields=["attendance", "updated_at"])
                log(registration, "consultations.attendance", user=request.user)
        messages.success(request, "Attendance saved.")
        return redirect("info_sessions:roster", pk=self.session.pk)


@require_POST
def registration_action(request, pk, action):
    _require(request, SESSION_PERMISSION)
    registration = get_object_or_404(SessionRegistration.objects.select_related("session"), pk=pk)
    back = redirect("info_sessions:roster", pk=registration.session_id)
    if action == "cancel":
        try:
            sessions.cancel(registration, by_staff=True, user=request.user)
        except sessions.RegistrationError:
            messages.error(request, "That registration is already cancelled.")
            return back
        messages.success(request, "Cancelled. The next person waiting (if any) has the seat.")
        return back
    raise Http404


class EraseRegistrationView(EraseView):
    permission = SESSION_PERMISSION

    def get_parent_breadcrumbs(self):
        return [{"url": self.back_url(), "label": f"Roster: {self.subject.session.title}"}]

    def get_queryset(self):
        return SessionRegistration.objects.select_related("session")

    def back_url(self):
        return reverse("info_sessions:roster", args=[self.subject.session_id])

    def erase(self, registration, *, user):
        return sessions.erase(registration, user=user)


class RegistrationIndexView(FormulaSafeExportMixin, IndexView):
    def get_base_queryset(self):
        return SessionRegistration.objects.roster()


class SessionRegistrationViewSet(ModelViewSet):
    """Every registration, filterable by session; its export is the roster spreadsheet."""

    model = SessionRegistration
    name = "session_registrations"
    icon = "list-ul"
    menu_label = "Session registrations"
    index_view_class = RegistrationIndexView
    list_display = ["name", "pronouns", "session", "status", "attendance", "created_at"]
    list_filter = ["session", "status", "attendance"]
    list_export = ["session", "name", "pronouns", "email", "status", "attendance", "created_at"]
    export_headings = {"name": "Name to use", "created_at": "Registered at (UTC)"}
    search_fields = ["name", "email"]
    form_fields = ["name", "pronouns", "email", "discreet", "attendance"]
    copy_view_enabled = False
    export_filename = "session-roster"

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/action/<slug:action>/", registration_action, name="action"),
            path("<int:pk>/erase/", EraseRegistrationView.as_view(), name="erase"),
        ]


def register_log_actions(actions) -> None:
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)
    actions.register_action("consultations.email_retry")(EmailRetryFormatter)
