from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from kindman.exports import FormulaSafeExportMixin
from therapists.chooser import therapist_chooser_viewset
from therapists.models import Language, Modality, Specialty


class TaxonomyIndexView(FormulaSafeExportMixin, IndexView):
    pass


class TaxonomyViewSet(SnippetViewSet):
    """Shared by the three taxonomies: staff add, rename and export names; slugs feed the
    directory's query strings, so changing one breaks links people have shared."""

    index_view_class = TaxonomyIndexView
    list_display = ["name", "slug"]
    list_export = ["name", "slug"]
    # Plain database search: a few dozen names need no search index.
    search_fields = ["name", "slug"]
    search_backend_name = None
    ordering = ["name"]


class SpecialtyViewSet(TaxonomyViewSet):
    model = Specialty
    icon = "tag"


class ModalityViewSet(TaxonomyViewSet):
    model = Modality
    icon = "tasks"


class LanguageViewSet(TaxonomyViewSet):
    model = Language
    icon = "globe"


class TherapistDirectoryViewSetGroup(SnippetViewSetGroup):
    menu_label = "Therapist directory"
    menu_icon = "group"
    menu_order = 300
    items = (SpecialtyViewSet, ModalityViewSet, LanguageViewSet)


register_snippet(TherapistDirectoryViewSetGroup)


@hooks.register("register_admin_viewset")
def register_therapist_chooser():
    return therapist_chooser_viewset
