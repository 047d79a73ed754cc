from django.tasks import task

from ask.models import Request
from ask.services import notify_request


@task
def send_request_notifications(request_id: int) -> bool:
    """Email the requester and the staff; what fails is retried by a command."""
    request = Request.objects.filter(pk=request_id).first()
    return notify_request(request=request) if request else False
