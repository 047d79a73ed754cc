import logging

from django.apps import AppConfig

logger = logging.getLogger(__name__)


def plan_changed(sender, **kwargs):
    """The tracker's open-data files are built again after any change to the plan's rows."""
    from core import downloads

    if sender is None or sender._meta.app_label == "recommendations":
        downloads.content_changed("recommendations")


def announced(sender, **kwargs):
    from core import downloads

    downloads.content_changed("recommendations")


def renewed(sender, *, name, token, **kwargs):
    """A new generation of the plan: the worker prepares the progress figures."""
    from recommendations.progress import PLAN
    from recommendations.tasks import prepare_progress

    if name != PLAN:
        return
    try:
        prepare_progress.enqueue(token)
    except Exception:  # the queue away: the first visitor works the figures out instead
        logger.exception("progress: figures not queued for the worker")


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = "Safety plan"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from core.signals import content_renewed, public_content_changed

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(plan_changed, dispatch_uid=f"recommendations-downloads-{signal}")
        public_content_changed.connect(announced, dispatch_uid="recommendations-downloads")
        content_renewed.connect(renewed, dispatch_uid="recommendations-progress")
