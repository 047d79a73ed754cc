"""Record what followers may be told when the safety plan or an event changes.

The domain apps know nothing of following: this app listens to their models' signals and
records a Notice in the same transaction; the worker sends it once its undo window is over.
"""

from django.db.models.signals import post_save, pre_save

from events.models import Event
from follow import services
from follow.middleware import remember_notice
from follow.models import Notice, Subscription
from recommendations.models import StatusUpdate


def record(**fields) -> None:
    if not Subscription.objects.exists():
        return  # nobody follows anything: nothing to tell (a bulk import records nothing)
    remember_notice(services.record_notice(**fields))


def remember_previous(sender, instance, **kwargs):
    """The row as stored before this save, to tell a change from a re-save."""
    previous = sender.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._follow_previous = previous


def status_update_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not instance.public:
        return
    previous = getattr(instance, "_follow_previous", None)
    if created:
        record(
            kind=Notice.Kind.STATUS,
            recommendation_id=instance.recommendation_id,
            status_update=instance,
        )
    elif getattr(instance, "retracted_at", None) and not getattr(previous, "retracted_at", None):
        if services.withdraw_notice(status_update=instance):
            return  # retracted inside the undo window: followers never hear of it
        record(
            kind=Notice.Kind.CORRECTION,
            recommendation_id=instance.recommendation_id,
            status_update=instance,
        )


def event_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not instance.is_published:
        return
    previous = getattr(instance, "_follow_previous", None)
    if created or not previous.is_published:
        record(kind=Notice.Kind.EVENT_PUBLISHED, event=instance)
    elif instance.is_cancelled and not previous.is_cancelled:
        record(kind=Notice.Kind.EVENT_CANCELLED, event=instance)


def connect():
    for model, receiver in ((StatusUpdate, status_update_saved), (Event, event_saved)):
        pre_save.connect(remember_previous, sender=model, dispatch_uid=f"follow-pre-{model}")
        post_save.connect(receiver, sender=model, dispatch_uid=f"follow-post-{model}")
