from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished

        # Registers the information-session email builders, so the email task (also in the
        # worker process, which loads no URLs) finds them.
        from . import sessions  # noqa: F401
        from .forms import forget_therapist_choices

        # The booking form's therapist list is remembered per process; a page change drops it.
        for signal in (page_published, page_unpublished, post_save, post_delete):
            signal.connect(forget_therapist_choices, dispatch_uid=f"therapist-choices-{id(signal)}")
