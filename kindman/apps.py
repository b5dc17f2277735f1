import mimetypes

from django.apps import AppConfig


class KindmanConfig(AppConfig):
    name = "kindman"
    verbose_name = "Kindman & Co. site"

    def ready(self):
        from kindman import cache, second_factor  # noqa: F401 (second_factor registers its emails)
        from kindman.practice import emails  # noqa: F401 (registers the accessibility report's)

        cache.connect_signals()
        # Renditions are WebP, which Python 3.11 only knows from the system's MIME tables (absent
        # from slim images): without it they are stored and served as application/octet-stream.
        mimetypes.add_type("image/webp", ".webp")
