from django.apps import AppConfig


class KindmanConfig(AppConfig):
    name = "kindman"
    verbose_name = "Kindman & Co. site"

    def ready(self):
        from kindman.cache import connect_signals

        connect_signals()
