"""The "Consultations" admin menu: the Care Coordinator's workspace (consultations/workspace/).
Only superusers and the Care coordinators group hold these permissions; Editors see none of it."""

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from .workspace.base import CALL_PERMISSION, register_log_actions
from .workspace.calls import (
    AgendaViewSet,
    AvailabilityExceptionViewSet,
    ConsultationViewSet,
    CoordinatorViewSet,
)
from .workspace.dashboard import COORDINATOR_PANELS
from .workspace.emails import EmailDeliveryViewSet
from .workspace.sessions import InfoSessionViewSet, SessionRegistrationViewSet


class ConsultationsViewSetGroup(ViewSetGroup):
    menu_label = "Consultations"
    menu_icon = "calendar"
    menu_order = 250
    items = [
        AgendaViewSet,
        ConsultationViewSet,
        InfoSessionViewSet,
        SessionRegistrationViewSet,
        CoordinatorViewSet,
        AvailabilityExceptionViewSet,
        EmailDeliveryViewSet,
    ]


@hooks.register("register_admin_viewset")
def register_consultations_admin():
    return ConsultationsViewSetGroup()


@hooks.register("register_log_actions")
def register_consultation_log_actions(actions):
    register_log_actions(actions)


@hooks.register("construct_homepage_panels")
def add_coordinator_panels(request, panels):
    if request.user.has_perm(CALL_PERMISSION):
        panels.extend(panel() for panel in COORDINATOR_PANELS)
