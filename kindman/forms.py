"""Admin forms every app shares."""

from wagtail.images.forms import BaseImageForm


class ImageForm(BaseImageForm):
    """Uploading or editing an image asks for its alt text once, here; a post's hero and image
    blocks start from it and may say something else where the image means something else."""

    class Meta(BaseImageForm.Meta):
        labels = {"description": "Alt text"}
        help_texts = {
            "description": "Describe the image for people who cannot see it, e.g. “Two chairs "
            "by a sunny window”. Used wherever the image appears, unless a page says otherwise."
        }
