from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"

    def ready(self):
        # Registers the email builders, so the email task finds them in every process (the
        # worker too, which loads no URLs).
        from .calls import emails as call_emails  # noqa: F401
        from .sessions import emails as session_emails  # noqa: F401
