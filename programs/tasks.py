from django.tasks import task

from programs import services
from programs.models import VolunteerSignup
from programs.services import notify_signup


@task
def send_signup_notifications(signup_id: int) -> bool:
    """Email the volunteer and the coordinators; what fails is retried by a command."""
    signup = VolunteerSignup.objects.filter(pk=signup_id).first()
    return notify_signup(signup=signup) if signup else False


@task
def send_decision_email(signup_id: int) -> bool:
    """Email the volunteer the coordinator's decision (sent by the worker, not the request)."""
    signup = VolunteerSignup.objects.filter(pk=signup_id).first()
    return services.send_decision_email(signup=signup) if signup else False
