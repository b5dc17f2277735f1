from django.apps import AppConfig


class KindmanConfig(AppConfig):
    name = "kindman"
    verbose_name = "Kindman & Co. site"
