"""The coordinator's queue: states through one service, exports, retention, privacy."""

import csv
import io
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.utils import timezone
from factories import VolunteerSignupFactory

from programs.models import Program, SignupState, VolunteerSignup
from programs.services import InvalidTransition, change_signup_state
from tests.taskqueue import run_worker

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cope_content")]


def make_signup(**fields) -> VolunteerSignup:
    """A sign-up for Citizens on Patrol (COP), which the decision email names."""
    return VolunteerSignupFactory(
        programs=Program.objects.filter(slug="citizens-on-patrol"), **fields
    )


def test_states_move_new_contacted_accepted_and_record_who_and_when(coordinator):
    signup = make_signup()

    change_signup_state(signup=signup, state=SignupState.CONTACTED, by=coordinator)
    signup = change_signup_state(signup=signup, state=SignupState.ACCEPTED, by=coordinator)

    assert signup.state == SignupState.ACCEPTED and signup.state_changed_at is not None
    history = [(c.from_state, c.to_state, c.changed_by) for c in signup.changes.order_by("pk")]
    assert history == [("new", "contacted", coordinator), ("contacted", "accepted", coordinator)]


def test_a_new_signup_cannot_jump_to_accepted_but_can_be_withdrawn(coordinator):
    signup = make_signup()

    with pytest.raises(InvalidTransition):
        change_signup_state(signup=signup, state=SignupState.ACCEPTED, by=coordinator)
    signup = change_signup_state(signup=signup, state=SignupState.WITHDRAWN, by=coordinator)

    assert signup.state == SignupState.WITHDRAWN


def test_coordinator_works_the_queue_and_exports_neutralized_csv(client, coordinator):
    hostile = make_signup(
        full_name='=HYPERLINK("http://evil")', message="+1+1", coordinator_notes="@SUM(A1)"
    )
    tabbed = make_signup(full_name="\tTab", message="-2", coordinator_notes="\rCR")
    client.force_login(coordinator)

    listing = client.get("/staff/programs/volunteersignup/?q=HYPERLINK")
    export = client.post(
        "/staff/programs/volunteersignup/",
        {"action": "export_csv", "_selected_action": [hostile.pk, tabbed.pk]},
    )

    assert listing.status_code == 200 and hostile.reference in listing.text
    assert export.status_code == 200
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert "volunteer-signups-" in export["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(export.getvalue().decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil")' in cells and "'+1+1" in cells
    assert "'@SUM(A1)" in cells and "'\tTab" in cells and "'-2" in cells and "'\rCR" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    (entry,) = LogEntry.objects.filter(object_repr__startswith="CSV export")
    assert entry.user == coordinator and entry.object_repr == "CSV export of 2 sign-ups"
    assert entry.change_message == "Exported 2 sign-ups to CSV (2 ticked)."


def test_coordinator_marks_contacted_through_the_admin_action(client, coordinator):
    signup = make_signup()
    client.force_login(coordinator)

    client.post(
        "/staff/programs/volunteersignup/",
        {"action": "mark_contacted", "_selected_action": [signup.pk]},
    )

    signup.refresh_from_db()
    assert signup.state == SignupState.CONTACTED
    assert signup.changes.get().changed_by == coordinator


def test_decision_email_uses_the_template_staff_keep(
    client, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    signup = make_signup(state=SignupState.CONTACTED)
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/staff/programs/volunteersignup/",
            {"action": "mark_accepted_and_email", "_selected_action": [signup.pk]},
        )
    assert mailoutbox == []  # the queue's worker sends, not the request
    run_worker()

    (message,) = mailoutbox
    assert message.to == ["pat@example.org"]
    assert signup.reference in message.subject
    assert "Dear Pat Lee" in message.body and "Citizens on Patrol (COP)" in message.body


@pytest.mark.parametrize(
    "url",
    [
        "/staff/programs/volunteersignup/",
        "/staff/programs/volunteersignup/?email__startswith=pat",
        "/staff/programs/volunteersignup/{pk}/change/",
        "/staff/programs/decisionemail/",
    ],
)
def test_editors_never_reach_signups(client, editor, url):
    signup = make_signup()
    client.force_login(editor)

    response = client.get(url.format(pk=signup.pk))

    assert response.status_code == 403
    assert "pat@example.org" not in response.text


def test_editors_cannot_export_signups(client, editor):
    signup = make_signup()
    client.force_login(editor)

    response = client.post(
        "/staff/programs/volunteersignup/",
        {"action": "export_csv", "_selected_action": [signup.pk]},
    )

    assert response.status_code == 403
    assert b"pat@example.org" not in response.content


def test_editor_admin_index_does_not_list_signups(client, editor):
    make_signup()
    client.force_login(editor)

    index = client.get("/staff/")

    assert index.status_code == 200
    assert "Volunteer sign-ups" not in index.text and "Programs" in index.text


def test_purge_deletes_closed_and_untouched_signups_past_the_retention_period():
    old = timezone.now() - timedelta(days=400)
    closed_long_ago = make_signup(state=SignupState.DECLINED)
    new_untouched = make_signup()
    closed_recently = make_signup(state=SignupState.ACCEPTED)
    new_recent = make_signup()
    VolunteerSignup.objects.filter(pk=closed_long_ago.pk).update(state_changed_at=old)
    VolunteerSignup.objects.filter(pk=new_untouched.pk).update(updated_at=old)
    VolunteerSignup.objects.filter(pk=closed_recently.pk).update(state_changed_at=timezone.now())

    out = StringIO()
    call_command("purge_signups", stdout=out)

    assert set(VolunteerSignup.objects.values_list("pk", flat=True)) == {
        closed_recently.pk,
        new_recent.pk,
    }
    assert "2 sign-ups older than 365 days deleted" in out.getvalue()


def test_privacy_notice_states_retention_who_sees_and_how_to_ask_for_deletion(client, settings):
    settings.SIGNUP_RETENTION_DAYS = 365

    text = client.get("/privacy/").text

    assert "deleted 365 days after it is closed" in text
    assert "only COPE's volunteer coordinators" in text
    assert "To see, correct or delete your sign-up" in text
