"""The admin's therapist chooser: therapists by name and portrait, for a post's authors.

A Wagtail chooser viewset (registered in `wagtail_hooks.py`); its widget is named on the
panels that use it rather than replacing every chooser of therapist pages."""

from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

PORTRAIT = "fill-80x80"  # shown at 40×40 CSS pixels, sharp on dense screens


class PortraitColumn(Column):
    cell_template_name = "therapists/admin/portrait_cell.html"


class TherapistColumns:
    """Portrait, name (the link that chooses) and whether the profile is published."""

    @property
    def columns(self):
        name = self.title_column
        name.label = "Name"
        return [
            PortraitColumn("photo", label="Portrait", width="1%"),
            name,
            StatusTagColumn(
                "live",
                label="Profile",
                accessor=lambda therapist: "Published" if therapist.live else "Draft",
                primary=lambda therapist: therapist.live,
            ),
        ]

    def get_object_list(self):
        from .models import TherapistPage, photo_renditions

        return (
            TherapistPage.objects.select_related("photo")
            .prefetch_related(photo_renditions(PORTRAIT))
            .order_by("title", "pk")
        )


class TherapistChooseView(TherapistColumns, ChooseView):
    pass


class TherapistChooseResultsView(TherapistColumns, ChooseResultsView):
    pass


class TherapistChooserViewSet(ChooserViewSet):
    model = "therapists.TherapistPage"
    icon = "user"
    choose_one_text = "Choose a therapist"
    choose_another_text = "Choose another therapist"
    edit_item_text = "Edit profile"
    choose_view_class = TherapistChooseView
    choose_results_view_class = TherapistChooseResultsView
    per_page = 20
    # Only where a panel asks for it (a post's authors); other choosers of therapist pages keep
    # Wagtail's page chooser. Profiles are created as pages, so the modal has no "create" tab.
    register_widget = False


therapist_chooser_viewset = TherapistChooserViewSet("therapist_chooser")
