from django.apps import AppConfig


class PrecinctsConfig(AppConfig):
    name = "precincts"
    verbose_name = "Precincts"
