"""The Care Coordinator's panels on the Wagtail dashboard: what needs doing today.

Each panel is a small `CoordinatorPanel`; `COORDINATOR_PANELS` lists them in order and
`wagtail_hooks` adds them for staff with the calls permission. Another panel is one more
subclass (a template and `get_panel_context`) added to that list."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from wagtail.admin.ui.components import Component

from kindman.timezones import PRACTICE_TZ_LABEL

from ..calls.models import Consultation
from ..sessions.models import InfoSession, SessionRegistration
from .calls import local_day_start
from .emails import EmailProblemsPanel


class CoordinatorPanel(Component):
    """One dashboard panel; `order` places it among Wagtail's own (lower is higher up)."""

    heading = ""
    order = 60

    class Media:
        css = {"all": ["css/workspace.css", "css/dashboard.css"]}  # the contact badges

    def get_panel_context(self, request, now) -> dict:
        return {}

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        return {
            "panel": self,
            "tz_label": PRACTICE_TZ_LABEL,
            **self.get_panel_context(request, timezone.now()),
        }


class TodayAndTomorrowPanel(CoordinatorPanel):
    """Every call of today and tomorrow (Pacific time), cancelled ones left out."""

    name = "calls_today_and_tomorrow"
    heading = "Calls today and tomorrow"
    template_name = "consultations/workspace/dashboard/calls_panel.html"
    order = 40

    def get_panel_context(self, request, now):
        start = local_day_start(now)
        calls = (
            Consultation.objects.filter(
                starts_at__gte=start, starts_at__lt=start + timedelta(days=2), erased_at=None
            )
            .exclude(status=Consultation.Status.CANCELLED)
            .select_related("coordinator")
            .order_by("starts_at", "pk")
        )
        tomorrow = (start + timedelta(days=1)).date()
        return {
            "calls": calls,
            "tomorrow": tomorrow,
            "empty": "No calls today or tomorrow.",
        }


class AwaitingConfirmationPanel(CoordinatorPanel):
    """Upcoming calls still to be confirmed, soonest first."""

    name = "calls_awaiting_confirmation"
    heading = "Waiting for confirmation"
    template_name = "consultations/workspace/dashboard/calls_panel.html"
    order = 45

    def get_panel_context(self, request, now):
        calls = (
            Consultation.objects.upcoming(now)
            .filter(status=Consultation.Status.REQUESTED)
            .select_related("coordinator")
            .order_by("starts_at", "pk")
        )
        return {"calls": calls, "show_date": True, "empty": "Every upcoming call is confirmed."}


class NextSessionsPanel(CoordinatorPanel):
    """The next information sessions with their seats and waitlist."""

    name = "next_info_sessions"
    heading = "Next information sessions"
    template_name = "consultations/workspace/dashboard/sessions_panel.html"
    order = 55
    shown = 3

    def get_panel_context(self, request, now):
        waiting = Q(registrations__status=SessionRegistration.Status.WAITLISTED)
        sessions = (
            InfoSession.objects.upcoming(now)
            .with_seats_taken()
            .annotate(waiting=Count("registrations", filter=waiting))
            .order_by("starts_at", "pk")[: self.shown]
        )
        return {"sessions": sessions}


# In order on the page; a new panel for the coordinator goes here.
COORDINATOR_PANELS = [
    EmailProblemsPanel,
    TodayAndTomorrowPanel,
    AwaitingConfirmationPanel,
    NextSessionsPanel,
]
