from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"

    def ready(self):
        # Registers the information-session email builders, so the email task (also in the
        # worker process, which loads no URLs) finds them.
        from . import sessions  # noqa: F401
