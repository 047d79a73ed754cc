from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from follow.models import FollowRequest, Notice
from follow.services import send_confirmation_email, send_due_notices


@task
def send_confirmation(request_id: int) -> bool:
    request = (
        FollowRequest.objects.filter(pk=request_id)
        .select_related("recommendation", "precinct", "program")
        .first()
    )
    return send_confirmation_email(request=request) if request else False


@task
def send_notices() -> int:
    """Email every follower what is past its undo window, one email each.

    A later run is queued first, so a worker killed mid-batch leaves the rest to it (what was
    sent is recorded per follower and not sent again); a run with nothing to do queues none.
    """
    if Notice.objects.due().filter(dispatched_at__isnull=True).exists():
        resume_at = timezone.now() + timedelta(seconds=settings.FOLLOW_RESUME_AFTER)
        send_notices.using(run_after=resume_at).enqueue()
    return send_due_notices()
