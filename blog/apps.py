from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"

    def ready(self):
        # Registers the newsletter's email builder for the email task, in every process.
        from . import emails  # noqa: F401
