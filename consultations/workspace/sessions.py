"""Information sessions in the Care Coordinator's workspace: the sessions, each one's roster
(attendance, the waitlist in order), and every registration with its export."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from kindman.exports import FormulaSafeExportMixin
from kindman.models import EmailDelivery

from ..sessions import actions as sessions
from ..sessions.models import InfoSession, SessionRegistration
from .base import (
    SESSION_PERMISSION,
    WorkspaceViewMixin,
    require,
)
from .calls import EraseView, StartsAtColumn, UpcomingFirstMixin
from .emails import BookingLink


class InfoSessionIndexView(UpcomingFirstMixin, IndexView):
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
        StartsAtColumn(
            "starts_at",
            label=_("Starts (Pacific Time)"),
            sort_key="starts_at",
            classname="ws-nowrap",
        ),
        "format",
        "language",
        "capacity",
        Column("registered", label="Registered"),
        Column("waiting", label="Waiting"),
        RosterLinkColumn("roster", label="Roster"),
    ]
    list_filter = ["format", "language", "published"]
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
        require(request, SESSION_PERMISSION)
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
            seats_left=self.session.seats_left(),
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


class RegistrationConfirmView(WorkspaceViewMixin, TemplateView):
    """A page saying what one action on a registration will do, then a POST that does it: no
    change to a person's place is one click away."""

    template_name = "consultations/workspace/registration_confirm.html"
    statuses = SessionRegistration.ACTIVE_STATUSES

    def dispatch(self, request, *args, **kwargs):
        require(request, SESSION_PERMISSION)
        self.registration = get_object_or_404(
            SessionRegistration.objects.select_related("session"),
            pk=kwargs["pk"],
            erased_at__isnull=True,
        )
        return super().dispatch(request, *args, **kwargs)

    def get_parent_breadcrumbs(self):
        return [{"url": self.back_url(), "label": f"Roster: {self.registration.session.title}"}]

    def back_url(self):
        return reverse("info_sessions:roster", args=[self.registration.session_id])

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "registration": self.registration,
            "session": self.registration.session,
            "seats_left": self.registration.session.seats_left(),
            "started": self.registration.session.starts_at <= timezone.now(),
            "back_url": self.back_url(),
        }

    def post(self, request, *args, **kwargs):
        try:
            message = self.act(self.registration, user=request.user)
        except sessions.RegistrationError as refused:
            messages.error(request, self.refusal(refused))
        else:
            messages.success(request, message)
        return redirect(self.back_url())


class CancelRegistrationView(RegistrationConfirmView):
    header_icon = "cross"
    action = "cancel"

    def get_page_title(self):
        if self.registration.status == SessionRegistration.Status.WAITLISTED:
            return "Take them off the waitlist"
        return "Cancel their seat"

    def act(self, registration, *, user):
        waiting = registration.status == SessionRegistration.Status.WAITLISTED
        registration = sessions.cancel(registration, by_staff=True, user=user)
        if waiting:
            return f"{registration.name} is off the waitlist. They get an email saying so."
        return (
            f"Cancelled {registration.name}'s seat. They get an email saying so; "
            "the first person waiting (if any) has the seat."
        )

    def refusal(self, refused):
        return "That registration is already cancelled."


class OfferSeatView(RegistrationConfirmView):
    header_icon = "user"
    action = "offer"
    page_title = "Offer the seat"

    def act(self, registration, *, user):
        registration = sessions.offer_seat(registration, user=user)
        return f"{registration.name} has a seat now. They get an email saying so."

    def refusal(self, refused):
        if isinstance(refused, sessions.NoSeatFree):
            return (
                "No seat is free: every seat is taken. To add one, raise the session's "
                "capacity (the first person waiting then gets it)."
            )
        return "Only someone still on the waitlist of an upcoming session can be offered a seat."


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
            path("<int:pk>/cancel/", CancelRegistrationView.as_view(), name="cancel"),
            path("<int:pk>/offer/", OfferSeatView.as_view(), name="offer"),
            path("<int:pk>/erase/", EraseRegistrationView.as_view(), name="erase"),
        ]
