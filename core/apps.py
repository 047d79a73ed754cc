from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared helpers every app may use; it imports no other project app."""

    name = "core"
    verbose_name = "Shared"
