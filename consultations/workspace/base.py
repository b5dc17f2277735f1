"""What every screen of the Care Coordinator's workspace shares: the permissions it checks,
its breadcrumbs, and the actions written to Wagtail's audit log."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

CALL_PERMISSION = "consultations.change_consultation"
SESSION_PERMISSION = "consultations.change_sessionregistration"


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


def require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def permission_menu_item(permission: str):
    class PermissionMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm(permission)

    return PermissionMenuItem


# Log action name → (label in the history filter, message in the history).
LOG_ACTIONS = {
    "consultations.book": ("Book call", "Booked by the client online"),
    "consultations.client_cancel": ("Client cancel", "Cancelled by the client (manage link)"),
    "consultations.client_reschedule": ("Client reschedule", "Moved by the client (manage link)"),
    "consultations.client_erase": ("Client erase", "Deleted by the client (manage link)"),
    "consultations.confirm": ("Confirm call", "Confirmed the call"),
    "consultations.complete": ("Mark call completed", "Marked the call completed"),
    "consultations.no_show": ("Mark no-show", "Marked the call as a no-show"),
    "consultations.cancel": ("Cancel call", "Cancelled the call"),
    "consultations.outcome": ("Record outcome", "Recorded the outcome"),
    "consultations.erase": ("Erase personal data", "Erased the person's data on request"),
    "consultations.estimate_sent": (
        "Good Faith Estimate sent",
        "Marked the Good Faith Estimate sent",
    ),
    "consultations.attendance": ("Mark attendance", "Marked attendance"),
    "consultations.registration_cancel": (
        "Cancel registration",
        "Cancelled the registration (the next person waiting was offered the seat)",
    ),
    "consultations.promote": ("Promote from waitlist", "Moved up from the waitlist"),
    "consultations.offer_seat": ("Offer the seat", "Offered a free seat from the waitlist"),
    "consultations.not_me": (
        "Not me",
        "Removed through the email's \"didn't sign up\" link: the address's owner never asked for it",
    ),
    "consultations.registered": ("Register", "Registered for the session"),
    "consultations.waitlisted": ("Join waitlist", "Joined the waitlist"),
}


def register_log_actions(actions) -> None:
    from .emails import EmailRetryFormatter

    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)
    actions.register_action("consultations.email_retry")(EmailRetryFormatter)
