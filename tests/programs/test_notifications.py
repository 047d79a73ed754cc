"""Sign-up emails go out after commit; when mail fails the sign-up is kept and retried."""

from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.core.management import call_command

from programs.models import AgeBand, Program, VolunteerSignup
from programs.services import submit_signup
from tests.taskqueue import run_worker
from tools.servers import free_port

pytestmark = pytest.mark.django_db


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


@pytest.fixture
def smtp_settings(settings):
    port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 2},
        }
    }
    settings.VOLUNTEER_COORDINATOR_EMAILS = ["coordinators@example.gov"]
    return port


def make_signup(django_capture_on_commit_callbacks, email="sam@example.org"):
    with django_capture_on_commit_callbacks(execute=True):
        signup = submit_signup(
            full_name="Sam Doe",
            email=email,
            phone="",
            zip_code="35206",
            programs=[Program.objects.get(slug="ride-along-program")],
            availability=["weekends"],
            age_band=AgeBand.ADULT,
            guardian_name="",
            guardian_phone="",
            message="",
            accept_privacy_notice=True,
            consent_to_contact=True,
        )
    run_worker()
    return signup


def test_smtp_down_keeps_the_signup_and_the_retry_sends_it_once_smtp_is_back(
    cope_content, smtp_settings, django_capture_on_commit_callbacks
):
    signup = make_signup(django_capture_on_commit_callbacks)  # nothing listens on the port

    signup.refresh_from_db()
    assert VolunteerSignup.objects.filter(pk=signup.pk).exists()
    assert not signup.is_notified and signup.notification_attempts == 1
    assert list(VolunteerSignup.objects.not_notified()) == [signup]

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=smtp_settings)
    server.start()
    try:
        out = StringIO()
        call_command("send_signup_notifications", stdout=out)
    finally:
        server.stop()

    signup.refresh_from_db()
    assert "1 sign-ups notified, 0 still waiting" in out.getvalue()
    assert signup.is_notified and signup.notification_attempts == 2
    assert sorted(m["To"] for m in inbox.messages) == [
        "coordinators@example.gov",
        "sam@example.org",
    ]
    assert list(VolunteerSignup.objects.not_notified()) == []


def test_a_retry_does_not_send_the_confirmation_twice(
    cope_content, smtp_settings, django_capture_on_commit_callbacks
):
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=smtp_settings)
    server.start()
    try:
        make_signup(django_capture_on_commit_callbacks)
        call_command("send_signup_notifications", stdout=StringIO())
    finally:
        server.stop()

    assert len(inbox.messages) == 2


def test_a_signup_whose_email_cannot_be_written_fails_alone(
    cope_content, smtp_settings, caplog, client, coordinator, django_capture_on_commit_callbacks
):
    from factories import VolunteerSignupFactory

    from programs.models import SignupState

    cop = Program.objects.filter(slug="citizens-on-patrol")
    waiting = VolunteerSignupFactory(programs=cop, email="older@example.org")  # SMTP was down
    bad = VolunteerSignupFactory(programs=cop, email='"pq\x7fz"@example.org')  # before the check
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=smtp_settings)
    server.start()
    try:
        out = StringIO()
        call_command("send_signup_notifications", stdout=out)
        call_command("send_signup_notifications", stdout=StringIO())  # nothing left, no error
        VolunteerSignup.objects.update(state=SignupState.CONTACTED)
        client.force_login(coordinator)
        with django_capture_on_commit_callbacks(execute=True):
            accepted = client.post(
                "/staff/programs/volunteersignup/",
                {"action": "mark_accepted_and_email", "_selected_action": [bad.pk, waiting.pk]},
            )
        run_worker()
    finally:
        server.stop()

    assert "2 sign-ups notified, 0 still waiting" in out.getvalue()
    to = [m["To"] for m in inbox.messages]
    assert to.count("older@example.org") == 2  # its confirmation, then its decision
    assert to.count("coordinators@example.gov") == 2  # both sign-ups reach the coordinators
    bad.refresh_from_db()
    assert bad.notification_error.startswith("decision: ValueError")
    assert "pq" not in bad.notification_error
    assert accepted.status_code == 302
    assert set(VolunteerSignup.objects.values_list("state", flat=True)) == {SignupState.ACCEPTED}
    assert "pq" not in caplog.text
