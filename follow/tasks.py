from django.tasks import task

from follow.models import FollowRequest, Notice
from follow.services import announce, send_confirmation_email


@task
def send_confirmation(request_id: int) -> bool:
    request = (
        FollowRequest.objects.filter(pk=request_id)
        .select_related("recommendation", "precinct", "program")
        .first()
    )
    return send_confirmation_email(request=request) if request else False


@task
def announce_notice(notice_id: int) -> int:
    """Email the followers who want each change; what fails is retried by send_follow_digests."""
    notice = (
        Notice.objects.filter(pk=notice_id)
        .select_related("recommendation", "status_update", "event")
        .first()
    )
    return announce(notice=notice) if notice else 0
