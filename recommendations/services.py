"""Writes with a rule for the safety plan: the one way to change a status, and the import."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.signals import public_content_changed
from recommendations import reports
from recommendations.models import SOURCE_REPORT, STAFF_SOURCE, Recommendation, StatusUpdate
from recommendations.plainwords import tidy_note


@transaction.atomic
def record_status_update(
    *, recommendation, status, note, author=None, source=STAFF_SOURCE, public=True, date=None
) -> StatusUpdate:
    """Append an update to the history; the recommendation's current status is then the latest
    in force by effective date (StatusUpdateQuerySet.latest_first), so a backdated update goes
    into the history without overriding a later one.

    The recommendation row is locked while its current status is set, so two people posting at
    the same moment both keep their update and the current status is the later one. A date
    after today is refused: a status cannot change in the future.
    """
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if date is None and source == STAFF_SOURCE:
        date = timezone.localdate()
    if date is not None and date > timezone.localdate():
        raise ValidationError({"date": "The date cannot be after today."})
    from_report = source == SOURCE_REPORT
    update = StatusUpdate(
        recommendation=locked,
        status=status,
        note=tidy_note(note) if from_report else note.strip(),
        source_text=note if from_report else "",
        author=author,
        source=source,
        public=public,
        date=date,
        previous_status=locked.status,
    )
    update.full_clean()
    update.save()
    if public:
        set_current_status(locked, current_update(locked))
    public_content_changed.send(sender=Recommendation)
    return update


def current_update(recommendation) -> StatusUpdate | None:
    """The update a recommendation's current status comes from: the one rule, in one place."""
    return recommendation.updates.in_force().latest_first().first()


def set_current_status(recommendation, update: StatusUpdate | None):
    """The recommendation shows `update` (the latest in force), or no status when there is none."""
    Recommendation.objects.filter(pk=recommendation.pk).update(
        status=update.status if update else "",
        progress_note=update.note if update else "",
        status_date=update.date if update else None,
        last_updated_at=update.recorded_at if update else None,
    )


@transaction.atomic
def retract_status_update(*, update, reason, author) -> StatusUpdate:
    """Correct a public update posted by mistake: it stays in the history, marked retracted.

    The current status is recomputed from the latest public update still in force.
    Nothing is deleted, and a retraction is never undone (post a new update instead).
    """
    locked = Recommendation.objects.select_for_update().get(pk=update.recommendation_id)
    update = StatusUpdate.objects.select_for_update().get(pk=update.pk)
    reason = " ".join((reason or "").split())
    if not update.public:
        raise ValidationError("Only a public update can be retracted; this one was internal.")
    if update.retracted_at is not None:
        raise ValidationError("This update has already been retracted.")
    if not reason:
        raise ValidationError({"reason": "Say why the update is retracted: the public reads it."})
    if len(reason) > 500:
        raise ValidationError({"reason": "Give the reason in 500 characters at most."})
    update.retracted_at = timezone.now()
    update.retraction_reason = reason
    update.retracted_by = author
    update.save(update_fields=["retracted_at", "retraction_reason", "retracted_by"])
    set_current_status(locked, current_update(locked))
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


def apply_status_report(*, data, report_date) -> reports.Preview:
    """Import the city's next status report: all of it or nothing, through record_status_update.

    Each change is dated with the report's date and credited to the report; a recommendation
    the report leaves as it is gets no new update, so importing the same file twice changes
    nothing the second time. Returns the preview of what was applied.
    """
    if report_date > timezone.localdate():
        raise reports.ReportError(["The report's date cannot be after today: nothing was changed."])
    with transaction.atomic():
        # One import at a time: the second waits, then finds the first one's changes applied.
        list(Recommendation.objects.select_for_update().order_by("pk").values_list("pk"))
        changes = reports.preview(reports.read_report(data))
        source = reports.report_source(report_date)
        for change in changes.changes:
            record_status_update(
                recommendation=change.recommendation,
                status=change.line.status,
                note=change.line.note,
                author=None,
                source=source,
                date=report_date,
            )
    return changes
