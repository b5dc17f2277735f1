from django.apps import AppConfig


class KindmanConfig(AppConfig):
    name = "kindman"
    verbose_name = "Kindman & Co. site"

    def ready(self):
        from kindman import cache, rows, snapshot

        cache.connect_signals()
        snapshot.connect_signals()
        rows.remember_statement_parsing()
