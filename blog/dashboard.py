"""The editor's panel on the Wagtail dashboard: the two things editors come to do, their own
drafts, and what is scheduled to publish."""

from wagtail.admin.ui.components import Component
from wagtail.models import Page

from therapists.models import TherapistIndexPage

from .models import BlogIndexPage, BlogPage


class EditorShortcutsPanel(Component):
    name = "editor_shortcuts"
    template_name = "blog/admin/editor_shortcuts_panel.html"
    order = 20  # first: it is where an editor starts
    shown = 5

    class Media:
        css = {"all": ["css/dashboard.css"]}

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        blog_index = BlogIndexPage.objects.first()
        therapist_index = TherapistIndexPage.objects.first()
        drafts = (
            BlogPage.objects.filter(owner=user, has_unpublished_changes=True)
            .order_by("-latest_revision_created_at")
            .only("pk", "title", "live")[: self.shown]
        )
        scheduled = (
            Page.objects.filter(go_live_at__isnull=False, live=False)
            .order_by("go_live_at")
            .only("pk", "title", "go_live_at")[: self.shown]
        )
        can_add_post = bool(blog_index and blog_index.permissions_for_user(user).can_add_subpage())
        return {
            "blog_index": blog_index if can_add_post else None,
            "therapist_index": therapist_index,
            "drafts": drafts,
            "scheduled": scheduled,
        }
