from django.apps import AppConfig


def plan_changed(sender, **kwargs):
    """The tracker's open-data files are built again after any change to the plan's rows."""
    from core import downloads

    if sender is None or sender._meta.app_label == "recommendations":
        downloads.content_changed("recommendations")


def announced(sender, **kwargs):
    from core import downloads

    downloads.content_changed("recommendations")


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = "Safety plan"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from core.signals import public_content_changed

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(plan_changed, dispatch_uid=f"recommendations-downloads-{signal}")
        public_content_changed.connect(announced, dispatch_uid="recommendations-downloads")
