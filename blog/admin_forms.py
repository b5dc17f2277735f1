"""A post's editing form in the admin.

Wagtail saves drafts (and autosaves them) with required fields left for later, and checks them
when the post is published; what only matters for a published post waits here too."""

from django.forms.formsets import DELETION_FIELD_NAME
from wagtail.admin.forms import WagtailAdminPageForm


class BlogPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        image = cleaned.get("hero_image")
        if image and not cleaned.get("hero_alt", "").strip():
            # The alt text given when the image was uploaded, unless the post says otherwise.
            cleaned["hero_alt"] = image.description.strip()
        if self.is_deferred_validation:
            self.leave_out_unchosen_authors()
        elif image and not cleaned["hero_alt"]:
            self.add_error(
                "hero_alt",
                "Describe the hero image for people using screen readers (here, or as the "
                "image's alt text in the image library).",
            )
        return cleaned

    def leave_out_unchosen_authors(self):
        """A draft may be saved before its author is chosen. Every author row needs a therapist
        in the database, so a row without one is left out of the draft (publishing still asks
        for an author)."""
        for form in self.formsets["authors"].forms:
            if form.is_valid() and not form.cleaned_data.get("therapist"):
                form.cleaned_data[DELETION_FIELD_NAME] = True
