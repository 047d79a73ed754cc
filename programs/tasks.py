from django.tasks import task

from programs.models import VolunteerSignup
from programs.services import notify_signup


@task
def send_signup_notifications(signup_id: int) -> bool:
    """Email the volunteer and the coordinators; what fails is retried by a command."""
    signup = VolunteerSignup.objects.filter(pk=signup_id).first()
    return notify_signup(signup=signup) if signup else False
