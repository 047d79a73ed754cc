"""Writes with a rule for the safety plan: the one way to change a status, and the import."""

from django.db import transaction
from django.utils import timezone

from core.signals import public_content_changed
from recommendations.models import SOURCE_REPORT, STAFF_SOURCE, Recommendation, StatusUpdate


@transaction.atomic
def record_status_update(
    *, recommendation, status, note, author=None, source=STAFF_SOURCE, public=True, date=None
) -> StatusUpdate:
    """Append an update to the history; a public one becomes the recommendation's current status.

    The recommendation row is locked while its current status is set, so two people posting at
    the same moment both keep their update and the current status is the later one.
    """
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if date is None and source == STAFF_SOURCE:
        date = timezone.localdate()
    update = StatusUpdate(
        recommendation=locked,
        status=status,
        note=" ".join(note.split()) if source == SOURCE_REPORT else note.strip(),
        author=author,
        source=source,
        public=public,
        date=date,
    )
    update.full_clean()
    update.save()
    if public:
        Recommendation.objects.filter(pk=locked.pk).update(
            status=update.status,
            progress_note=update.note,
            status_date=update.date,
            last_updated_at=update.recorded_at,
        )
    public_content_changed.send(sender=Recommendation)
    return update


def post_update_to_many(*, recommendations, status, note, author, public=True) -> list:
    """The same update on several recommendations: all or none, one history row each."""
    with transaction.atomic():
        return [
            record_status_update(
                recommendation=r, status=status, note=note, author=author, public=public
            )
            for r in recommendations
        ]
