from wagtail import hooks
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import register_permission_policy

from kindman.exports import FormulaSafeExportMixin

from .models import Subscriber


class SubscriberPermissionPolicy(ModelPermissionPolicy):
    """Subscribers join only by confirming their own address, so nobody adds them by hand.
    Everything else follows the model permissions: administrators, plus any group given
    `blog.view_subscriber` (Editors are not: subscribers are personal data)."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


register_permission_policy(Subscriber, SubscriberPermissionPolicy(Subscriber), exact_class=True)


class SubscriberIndexView(FormulaSafeExportMixin, IndexView):
    pass


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    index_view_class = SubscriberIndexView
    icon = "mail"
    menu_label = "Newsletter subscribers"
    menu_order = 500
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["status"]
    list_display = ["email", "status", "language", "created_at", "confirmed_at"]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    search_backend_name = None  # plain ORM search on the email address
    list_export = ["email", "status", "created_at", "confirmed_at"]
    export_filename = "newsletter-subscribers"


@hooks.register("register_admin_viewset")
def register_subscriber_viewset():
    return SubscriberViewSet("newsletter_subscribers")


@hooks.register("construct_homepage_panels")
def add_editor_shortcuts(request, panels):
    from .dashboard import EditorShortcutsPanel

    if PagePermissionPolicy().user_has_any_permission(request.user, ["add", "change"]):
        panels.append(EditorShortcutsPanel())
