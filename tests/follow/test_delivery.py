"""Delivery of follow emails through the real queue (django-tasks-db and its worker) to a real
SMTP server: nothing sent inside the editor's request, an undo window, one email per follower
per batch, a worker that dies mid-batch, headers by the standards, and one bad message failing
alone."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from events.models import Event
from follow.models import Follower, FollowRequest, Frequency, Subscription, Topic
from follow.services import confirm_follow
from recommendations.models import Recommendation, Status
from recommendations.services import record_status_update, retract_status_update
from tests.taskqueue import run_worker, tell_followers, wait

pytestmark = pytest.mark.django_db


def follow(email="res@example.org", **followed) -> Subscription:
    followed = {"topic": Topic.RECOMMENDATION, "frequency": Frequency.EACH} | followed
    if followed["topic"] == Topic.RECOMMENDATION and "recommendation" not in followed:
        followed["recommendation"] = Recommendation.objects.get(number=38)
    return confirm_follow(request=FollowRequest.objects.create(email=email, **followed))


def bulk_update(client, numbers, note="Council review."):
    """An editor posts one update to several recommendations from the admin's list, and says
    yes on the page that asks first when the update moves any of them back a stage."""
    selected = [
        str(pk)
        for pk in Recommendation.objects.filter(number__in=numbers).values_list("pk", flat=True)
    ]
    data = {
        "action": "post_update",
        "_selected_action": selected,
        "apply": "1",
        "status": Status.IN_PLANNING,
        "note": note,
        "public": "on",
    }
    queued = DBTaskResult.objects.count()
    page = client.post("/staff/recommendations/recommendation/", data, follow=True)
    if "Yes, post it and move them back" in page.text:
        assert DBTaskResult.objects.count() == queued  # nothing queued before the editor says yes
        page = client.post(
            "/staff/recommendations/recommendation/", data | {"confirmed": "yes"}, follow=True
        )
    return page


def test_a_staff_update_returns_before_any_email_and_says_when_followers_hear(
    cope_content, client, editor, smtp, django_capture_on_commit_callbacks
):
    for n in range(20):
        follow(email=f"f{n}@example.org")
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        page = bulk_update(client, [38])

    assert page.status_code == 200
    assert smtp.raw == []  # the request only queued the work
    notices = DBTaskResult.objects.filter(task_path="follow.tasks.send_notices")
    assert notices.ready().count() == 0  # and it waits out the undo window
    assert notices.count() == 1
    message = " ".join(page.text.split())
    assert "Followers will be emailed about this at" in message
    assert "(in about 10 minutes)" in message and "retract the update before then" in message

    run_worker()
    assert smtp.raw == []  # the worker does not send before the window ends

    tell_followers()
    assert sorted(m["To"] for m in smtp.messages) == sorted(f"f{n}@example.org" for n in range(20))


def test_a_retraction_inside_the_window_means_no_email_at_all(
    cope_content, editor, smtp, django_capture_on_commit_callbacks
):
    follow()
    with django_capture_on_commit_callbacks(execute=True):
        update = record_status_update(
            recommendation=Recommendation.objects.get(number=38),
            status=Status.COMPLETED,
            note="Posted on the wrong recommendation.",
        )
    wait(120)
    with django_capture_on_commit_callbacks(execute=True):
        retract_status_update(update=update, reason="Wrong recommendation.", author=editor)

    tell_followers()
    tell_followers()
    call_command("send_follow_digests", stdout=StringIO())

    assert smtp.raw == []  # neither the change nor a correction


def test_a_retraction_after_the_window_sends_a_correction(
    cope_content, editor, smtp, django_capture_on_commit_callbacks
):
    follow()
    with django_capture_on_commit_callbacks(execute=True):
        update = record_status_update(
            recommendation=Recommendation.objects.get(number=38),
            status=Status.COMPLETED,
            note="Done.",
        )
    tell_followers()
    with django_capture_on_commit_callbacks(execute=True):
        retract_status_update(update=update, reason="Not finished yet.", author=editor)
    tell_followers()

    assert [m["Subject"] for m in smtp.messages] == [
        "Safety plan recommendation 38: Completed",
        "Correction: safety plan recommendation 38",
    ]


def test_changes_made_together_go_out_as_one_email_per_follower(
    cope_content, client, editor, smtp, django_capture_on_commit_callbacks
):
    plan = follow(email="plan@example.org", topic=Topic.PLAN)
    follow(email="one@example.org")  # recommendation 38 only
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        bulk_update(client, [5, 6, 7])  # an import of four changes: three here,
    wait(300)
    with django_capture_on_commit_callbacks(execute=True):
        bulk_update(client, [38], note="A fourth, inside the window.")  # and one more
    tell_followers()

    (to_plan,) = smtp.to("plan@example.org")
    assert to_plan["Subject"] == "4 changes to the city's public-safety plan"
    body = to_plan.get_content()
    for number in [5, 6, 7, 38]:
        assert f"Safety plan recommendation {number} (" in body
    assert f"/follow/unsubscribe/{plan.token}/" in to_plan["List-Unsubscribe"]
    (to_one,) = smtp.to("one@example.org")
    assert to_one["Subject"] == "Safety plan recommendation 38: In planning"


def test_a_follower_of_several_topics_gets_one_email_listing_each_change_once(
    cope_content, smtp, django_capture_on_commit_callbacks
):
    follow(email="both@example.org", topic=Topic.PLAN)
    both = follow(email="both@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        record_status_update(
            recommendation=Recommendation.objects.get(number=38),
            status=Status.IN_PROGRESS,
            note="Under way.",
        )
    tell_followers()

    (message,) = smtp.messages
    assert message.get_content().count("Safety plan recommendation 38 (") == 1
    # one click stops every email this one came from
    assert f"/follow/unsubscribe/{both.follower.token}/" in message["List-Unsubscribe"]


class Killed(BaseException):
    """The worker's process dying (SIGKILL, a power cut): nothing after it runs."""


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(
    cope_content, smtp, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail.backends.smtp import EmailBackend

    addresses = [f"f{n}@example.org" for n in range(6)]
    for address in addresses:
        follow(email=address)
    with django_capture_on_commit_callbacks(execute=True):
        record_status_update(
            recommendation=Recommendation.objects.get(number=38),
            status=Status.IN_PROGRESS,
            note="Under way.",
        )

    real_send = EmailBackend.send_messages

    def dies_after_two(self, messages):
        if len(smtp.raw) == 2:
            raise Killed
        return real_send(self, messages)

    def no_record(self, error):
        raise error  # a dead process records nothing: the task stays "running"

    with monkeypatch.context() as dying:
        dying.setattr(EmailBackend, "send_messages", dies_after_two)
        dying.setattr(DBTaskResult, "set_failed", no_record)
        with pytest.raises(Killed):
            tell_followers()
    assert len(smtp.raw) == 2
    assert DBTaskResult.objects.running().count() == 1  # the killed run, never finished

    run_worker()  # restarted at once: the killed run's work is not due again yet
    tell_followers()  # its follow-up run takes it up
    tell_followers()

    assert sorted(m["To"] for m in smtp.messages) == addresses  # each exactly once


def test_the_list_unsubscribe_line_is_raw_whatever_its_length(
    cope_content, settings, smtp, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://public-safety-portal.cope.birmingham-police.example.gov"
    subscription = follow()
    url = f"{settings.SITE_URL}/follow/unsubscribe/{subscription.token}/"
    assert len(url) >= 120
    with django_capture_on_commit_callbacks(execute=True):
        record_status_update(
            recommendation=Recommendation.objects.get(number=38),
            status=Status.IN_PROGRESS,
            note="Under way.",
        )
    tell_followers()

    (raw,) = smtp.raw
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    lines = head.split("\r\n")
    assert f"List-Unsubscribe: <{url}>" in lines
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in lines
    assert "Auto-Submitted: auto-generated" in lines
    assert "Content-Language: en" in lines
    assert (
        "List-Id: COPE follow-by-email "
        "<follow.public-safety-portal.cope.birmingham-police.example.gov>"
    ) in lines
    message_id = next(line for line in lines if line.startswith("Message-ID:"))
    assert message_id.endswith("@public-safety-portal.cope.birmingham-police.example.gov>")
    assert "=?" not in head.split("Subject:")[0] + head.split("Subject:")[1].split("\r\n", 1)[1]


def test_a_title_with_a_line_separator_fails_nobody(
    cope_content, smtp, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    follow(email="events@example.org", topic=Topic.EVENTS)
    starts = timezone.now() + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        Event.objects.create(
            title="Walk\u2028Bcc: victim@example.net",
            slug="walk",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            is_published=True,
        )
    tell_followers()

    (message,) = smtp.messages
    assert message["Subject"] == "New COPE event: Walk Bcc: victim@example.net"
    assert message["Bcc"] is None


def test_an_address_that_cannot_be_written_fails_alone_and_is_recorded(
    cope_content, smtp, caplog, django_capture_on_commit_callbacks
):
    follow(email="first@example.org")
    bad = follow(email='"pq\x7fz"@example.org')  # stored before addresses were checked strictly
    follow(email="last@example.org")
    follow(email="weekly@example.org", frequency=Frequency.WEEKLY)
    with django_capture_on_commit_callbacks(execute=True):
        record_status_update(
            recommendation=Recommendation.objects.get(number=38),
            status=Status.IN_PROGRESS,
            note="Under way.",
        )
    tell_followers()

    assert sorted(m["To"] for m in smtp.messages) == ["first@example.org", "last@example.org"]
    bad.follower.refresh_from_db()
    assert bad.follower.failed_at is not None
    assert bad.follower.failure.startswith("ValueError") and "pq" not in bad.follower.failure
    out = StringIO()
    call_command("send_follow_digests", stdout=out)  # the digest and the retry go on
    call_command("send_follow_digests", "--retry-only", stdout=StringIO())
    assert [m["To"] for m in smtp.messages][-1] == "weekly@example.org"
    assert "pq" not in caplog.text


def test_an_ended_subscriptions_links_say_the_emails_have_stopped(
    cope_content, client, smtp, django_capture_on_commit_callbacks
):
    follow()
    with django_capture_on_commit_callbacks(execute=True):
        record_status_update(
            recommendation=Recommendation.objects.get(number=38),
            status=Status.IN_PROGRESS,
            note="Under way.",
        )
    tell_followers()
    (message,) = smtp.messages
    body = message.get_content()
    stop = re.search(r"http://testserver(/follow/unsubscribe/\S+/)", body).group(1)
    manage = re.search(r"http://testserver(/follow/manage/\S+/)", body).group(1)

    client.post(stop)
    assert not Subscription.objects.exists()
    for link in (stop, manage):
        page = client.get(link)
        assert page.status_code == 200
        assert "You have stopped these emails" in page.text
    assert client.post(stop).status_code == 200


def test_the_manage_page_switches_between_each_change_and_a_weekly_digest(
    cope_content, client, smtp, django_capture_on_commit_callbacks
):
    subscription = follow()
    manage = f"/follow/manage/{subscription.follower.token}/"

    switched = client.post(manage, {"subscription": subscription.token, "frequency": "weekly"})
    assert switched.status_code == 302
    subscription.refresh_from_db()
    assert subscription.frequency == Frequency.WEEKLY
    assert "a weekly digest" in client.get(switched["Location"]).text
    with django_capture_on_commit_callbacks(execute=True):
        record_status_update(
            recommendation=Recommendation.objects.get(number=38),
            status=Status.IN_PROGRESS,
            note="Under way.",
        )
    tell_followers()
    assert smtp.raw == []  # it waits for the digest

    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage, {"subscription": subscription.token, "frequency": "each"})
    run_worker()
    (message,) = smtp.messages  # what the digest kept goes out once
    assert message["Subject"] == "Safety plan recommendation 38: In progress"
    assert Follower.objects.count() == 1
