"""The "Consultations" admin menu: coordinators and their hours, exceptions, bookings and
email deliveries. Only superusers and the Care coordinators group have these permissions."""

from django.urls import path
from wagtail import hooks
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from kindman.exports import FormulaSafeExportMixin

from .admin_forms import ConsultationAdminForm
from .models import AvailabilityException, Consultation, Coordinator, EmailDelivery
from .workspace import (
    CALL_PERMISSION,
    BookingColumn,
    EmailDeliveryIndexView,
    EmailProblemsPanel,
    RetryColumn,
    retry_email,
)


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


class ConsultationIndexView(FormulaSafeExportMixin, IndexView):
    def get_base_queryset(self):
        return Consultation.objects.for_admin_list()


class ConsultationViewSet(ModelViewSet):
    model = Consultation
    index_view_class = ConsultationIndexView
    name = "consultation_bookings"
    icon = "mail"
    menu_label = "Calls"
    list_display = [
        "starts_at",
        "status",
        "name",
        "phone",
        "may_leave_voicemail",
        "may_text",
        "may_say_practice_name",
        "discreet",
        "coordinator",
    ]
    list_filter = ["status", "starts_at", "coordinator", "interest", "discreet"]
    list_export = [
        "starts_at",
        "status",
        "coordinator",
        "interest",
        "state",
        "may_leave_voicemail",
        "may_text",
        "discreet",
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


class EmailDeliveryViewSet(ModelViewSet):
    """What was sent, what failed and what is retrying. Read-only but for "Retry": a status set
    by hand would hide a failure nobody has dealt with."""

    model = EmailDelivery
    name = "consultation_emails"
    icon = "mail"
    menu_label = "Email deliveries"
    list_filter = ["status", "kind"]
    ordering = ["-created_at"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "kind",
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
        "kind",
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


class ConsultationsViewSetGroup(ViewSetGroup):
    menu_label = "Consultations"
    menu_icon = "calendar"
    menu_order = 250
    items = [
        ConsultationViewSet,
        CoordinatorViewSet,
        AvailabilityExceptionViewSet,
        EmailDeliveryViewSet,
    ]


@hooks.register("register_admin_viewset")
def register_consultations_admin():
    return ConsultationsViewSetGroup()


# --- Information sessions and the coordinator's workspace ---
# Appended rather than edited above, so the calls and sessions streams merge cleanly: the
# bookings list gains the workspace's filters, contact badges, links and formula-safe export.
from django.urls import reverse  # noqa: E402
from wagtail.admin.ui.tables import Column  # noqa: E402

from .workspace import (  # noqa: E402
    AgendaViewSet,
    ConsultationExportMixin,
    ConsultationFilterSet,
    InfoSessionViewSet,
    SessionRegistrationViewSet,
    register_log_actions,
)


class ContactPreferencesColumn(Column):
    cell_template_name = "consultations/workspace/contact_cell.html"


class WorkspaceConsultationIndexView(ConsultationExportMixin, ConsultationIndexView):
    def get_edit_url(self, instance):
        # A row opens the call's workspace page (actions, outcome); it links on to the edit form.
        return reverse("consultation_agenda:call", args=[instance.pk])

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("matched_therapist")


class WorkspaceConsultationViewSet(ConsultationViewSet):
    index_view_class = WorkspaceConsultationIndexView
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


ConsultationsViewSetGroup.items = [
    AgendaViewSet,
    WorkspaceConsultationViewSet,
    InfoSessionViewSet,
    SessionRegistrationViewSet,
    *(item for item in ConsultationsViewSetGroup.items if item is not ConsultationViewSet),
]


@hooks.register("register_log_actions")
def register_consultation_log_actions(actions):
    register_log_actions(actions)


@hooks.register("construct_homepage_panels")
def add_email_problems_panel(request, panels):
    if request.user.has_perm(CALL_PERMISSION):
        panels.append(EmailProblemsPanel())
