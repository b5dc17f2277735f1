"""Emails that have not gone out, where coordinators work: the deliveries list (read-only but
for "Retry"), the dashboard panel and the problems shown on a call's page and the agenda."""

from dataclasses import dataclass

import django_filters
from django.contrib import messages
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import transaction
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter, log

from kindman import tasks
from kindman.emails import LABELS
from kindman.models import EmailDelivery

from ..calls.models import Consultation
from ..sessions.models import SessionRegistration
from .base import (
    CALL_PERMISSION,
    require,
)


def with_bookings(deliveries):
    """Each delivery's booking (a call, or a registration with its session) in one query per
    kind of booking."""
    return deliveries.prefetch_related(
        GenericPrefetch(
            "subject_object",
            [Consultation.objects.all(), SessionRegistration.objects.select_related("session")],
        )
    )


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
            with_bookings(problems).order_by("-created_at", "-pk")[: cls.SHOWN] if count else []
        )
        return cls(count, [(delivery, booking_link(delivery)) for delivery in newest])


class EmailDeliveryIndexView(IndexView):
    def get_base_queryset(self):
        return with_bookings(super().get_base_queryset())


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

    class Media:
        css = {"all": ["css/dashboard.css"]}

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
    require(request, CALL_PERMISSION)
    delivery = get_object_or_404(with_bookings(EmailDelivery.objects.all()), pk=pk)
    with transaction.atomic():
        queued = tasks.retry(delivery)
        if queued:
            subject = delivery.subject_object if delivery.content_type_id else None
            log(
                subject or delivery,
                "consultations.email_retry",
                user=request.user,
                data={"kind": delivery.kind_label},
            )
    if queued:
        messages.success(
            request,
            f"Sending “{delivery.kind_label}” again. If it fails, it shows here again.",
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


class EmailDeliveryFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label="Email", choices=lambda: sorted(LABELS.items()))

    class Meta:
        model = EmailDelivery
        fields = ["status", "kind"]


class EmailDeliveryViewSet(ModelViewSet):
    """What was sent, what failed and what is retrying. Read-only but for "Retry": a status set
    by hand would hide a failure nobody has dealt with."""

    model = EmailDelivery
    name = "consultation_emails"
    icon = "mail"
    menu_label = "Email deliveries"
    filterset_class = EmailDeliveryFilterSet
    ordering = ["-created_at"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "kind_label",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "send_after",
        "next_attempt_at",
        "sent_at",
    ]

    index_view_class = EmailDeliveryIndexView
    list_display = [
        TitleColumn(
            "kind_label",
            label="Email",
            get_url=lambda delivery: reverse("consultation_emails:inspect", args=[delivery.pk]),
        ),
        BookingColumn("booking", label="Booking"),
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
        RetryColumn("retry", label="Retry"),
    ]

    def get_common_view_kwargs(self, **kwargs):
        # No add, edit or delete views: their buttons and links are left out.
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "edit_url_name": None, "delete_url_name": None, **kwargs}
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
            path("usage/<int:pk>/", self.usage_view, name="usage"),
            path("<int:pk>/retry/", retry_email, name="retry"),
        ]

    @property
    def url_finder_class(self):
        # Links to a delivery from elsewhere in the admin (the history report) open its page.
        return type(
            "EmailDeliveryURLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )
