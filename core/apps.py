from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared helpers every app may use; it imports no other project app."""

    name = "core"
    verbose_name = "Shared"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core.glossary import forget_expansions
        from core.models import GlossaryTerm

        for signal in (post_save, post_delete):
            signal.connect(
                forget_expansions, sender=GlossaryTerm, dispatch_uid=f"glossary-{signal}"
            )
