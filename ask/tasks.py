from django.tasks import task

from ask.models import Request
from ask.services import notify_request


@task
def send_request_notifications(request_id: int) -> bool:
    """Email the requester and the staff; what fails is retried by a command."""
    request = Request.objects.filter(pk=request_id).first()
    return notify_request(request=request) if request else False


@task
def send_registration_email(registration_id: int, what: str) -> bool:
    """Email a class registration's confirmation or promotion (sent by the worker)."""
    from ask.models import Registration
    from ask.services import send_registration_email as send

    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    return send(registration=registration, what=what) if registration else False


@task
def send_decision_email(request_id: int) -> bool:
    """Email the requester the staff's decision (sent by the worker, not the admin request)."""
    from ask import services

    request = Request.objects.select_related("event").filter(pk=request_id).first()
    return services.send_decision_email(request=request) if request else False
