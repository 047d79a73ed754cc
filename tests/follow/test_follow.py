"""Following by email: double opt-in, one email per public change or a weekly digest,
one-click unsubscribe, rate limits, and nothing that tells who follows what."""

import re
import socket
import time
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from events.models import Event
from follow.models import Follower, FollowRequest, Frequency, Subscription, Topic
from follow.services import confirm_follow
from precincts.models import Precinct
from recommendations.models import Recommendation, Status
from recommendations.services import record_status_update
from tests.taskqueue import run_worker, tell_followers

pytestmark = pytest.mark.django_db


@pytest.fixture
def post_follow(client, django_capture_on_commit_callbacks):
    def post(**fields):
        data = {"topic": "recommendation", "recommendation": "38", "frequency": "each"}
        data |= fields
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/follow/", data)
        run_worker()
        return response

    return post


def confirm_link(message) -> str:
    return re.search(r"http://\S+(/follow/confirm/\S+/)", message.body).group(1)


def follow(email="res@example.org", **followed) -> Subscription:
    """A confirmed subscription, through the services (as the confirmation link makes it)."""
    followed = {"topic": Topic.RECOMMENDATION, "frequency": Frequency.EACH} | followed
    if followed["topic"] == Topic.RECOMMENDATION and "recommendation" not in followed:
        followed["recommendation"] = Recommendation.objects.get(number=38)
    request = FollowRequest.objects.create(email=email, **followed)
    return confirm_follow(request=request)


def post_update(capture, number=38, status=Status.IN_PROGRESS, public=True, note="Under way."):
    """An editor's update, then its undo window passes and the worker sends."""
    with capture(execute=True):
        update = record_status_update(
            recommendation=Recommendation.objects.get(number=number),
            status=status,
            note=note,
            public=public,
        )
    tell_followers()
    return update


def test_a_request_sends_one_confirmation_and_follows_nothing_yet(
    cope_content, post_follow, mailoutbox
):
    response = post_follow(email="res@example.org")

    assert response.status_code == 302 and response["Location"] == "/follow/sent/"
    (message,) = mailoutbox
    assert message.to == ["res@example.org"]
    assert "recommendation 38" in message.body
    assert Subscription.objects.count() == 0 and Follower.objects.count() == 0


def test_the_answer_is_the_same_for_new_known_and_unknown_addresses(
    cope_content, client, post_follow
):
    follow(email="known@example.org")

    answers = []
    for email in ("known@example.org", "new@example.org"):
        response = post_follow(email=email)
        answers.append((response.status_code, response["Location"]))
    assert answers[0] == answers[1] == (302, "/follow/sent/")
    assert "If that address can receive email" in client.get("/follow/sent/").text


def test_only_the_confirmation_link_activates_the_subscription(
    cope_content, client, post_follow, mailoutbox
):
    post_follow(email="res@example.org", frequency="weekly")
    link = confirm_link(mailoutbox[0])

    page = client.get(link)
    assert page.status_code == 200 and "res@example.org" in page.text
    assert Subscription.objects.count() == 0  # a mail scanner opening the link confirms nothing

    response = client.post(link)
    subscription = Subscription.objects.get()
    assert subscription.recommendation.number == 38
    assert subscription.frequency == Frequency.WEEKLY
    assert response["Location"].startswith(f"/follow/manage/{subscription.follower.token}/")
    assert FollowRequest.objects.count() == 0
    assert client.post(link).status_code == 404  # used once


def test_an_expired_or_tampered_link_confirms_nothing(
    cope_content, client, post_follow, mailoutbox
):
    post_follow(email="res@example.org")
    link = confirm_link(mailoutbox[0])

    eight_days = time.time() + 8 * 86400
    with mock.patch("django.core.signing.time.time", return_value=eight_days):
        expired = client.post(link)
    tampered = client.post(link.replace("/follow/confirm/", "/follow/confirm/x"))

    assert expired.status_code == tampered.status_code == 404
    assert "This link does not work" in expired.text
    assert Subscription.objects.count() == 0


def test_one_email_per_public_change_and_none_for_a_non_public_one(
    cope_content, django_capture_on_commit_callbacks, mailoutbox, settings
):
    subscription = follow()

    post_update(django_capture_on_commit_callbacks, note="Funding approved.")
    post_update(django_capture_on_commit_callbacks, public=False)
    post_update(django_capture_on_commit_callbacks, number=39)

    (message,) = mailoutbox
    assert message.subject == "Safety plan recommendation 38: In progress"
    assert "Funding approved." in message.body
    assert "/safety-plan/38/" in message.body
    assert "because you asked for an email for each change" in message.body
    unsubscribe = f"{settings.SITE_URL}/follow/unsubscribe/{subscription.token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"/follow/manage/{subscription.follower.token}/" in message.body


def test_the_plan_followers_hear_of_every_recommendation(
    cope_content, django_capture_on_commit_callbacks, mailoutbox
):
    follow(topic=Topic.PLAN)

    post_update(django_capture_on_commit_callbacks, number=5)
    post_update(django_capture_on_commit_callbacks, number=60)

    assert [m.subject for m in mailoutbox] == [
        "Safety plan recommendation 5: In progress",
        "Safety plan recommendation 60: In progress",
    ]


def test_a_retracted_update_sends_a_correction(
    cope_content, django_capture_on_commit_callbacks, mailoutbox, editor
):
    from recommendations.services import retract_status_update

    follow()
    update = post_update(django_capture_on_commit_callbacks, note="Posted by mistake.")
    with django_capture_on_commit_callbacks(execute=True):
        retract_status_update(
            update=update, reason="Posted on the wrong recommendation.", author=editor
        )
    tell_followers()

    _, correction = mailoutbox
    assert correction.subject == "Correction: safety plan recommendation 38"
    assert "Posted on the wrong recommendation." in correction.body


def test_the_weekly_digest_gathers_the_week_and_is_silent_when_nothing_changed(
    cope_content, django_capture_on_commit_callbacks, mailoutbox
):
    follow(frequency=Frequency.WEEKLY)
    call_command("send_follow_digests", stdout=StringIO())
    assert mailoutbox == []  # nothing changed yet

    post_update(django_capture_on_commit_callbacks, status=Status.IN_PLANNING)
    post_update(django_capture_on_commit_callbacks, status=Status.IN_PROGRESS)
    assert mailoutbox == []  # the digest waits for its day

    call_command("send_follow_digests", "--retry-only", stdout=StringIO())
    assert mailoutbox == []  # the quarter-hourly retry sends no digest

    call_command("send_follow_digests", stdout=StringIO())
    (digest,) = mailoutbox
    assert "2 update(s)" in digest.subject
    assert "In planning" in digest.body and "In progress" in digest.body

    later = timezone.now() + timedelta(days=7)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("send_follow_digests", stdout=StringIO())
    assert len(mailoutbox) == 1  # nothing new: no email


def test_one_click_unsubscribe_works_without_a_cookie_or_form_token(cope_content):
    subscription = follow()
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(
        f"/follow/unsubscribe/{subscription.token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "no more emails about safety plan recommendation 38" in response.text
    assert not Subscription.objects.exists() and not Follower.objects.exists()
    again = mail_client.post(f"/follow/unsubscribe/{subscription.token}/")
    assert again.status_code == 200 and "You have stopped these emails" in again.text


def test_the_manage_page_shows_each_subscription_and_ends_them(cope_content, client):
    first = follow(email="res@example.org")
    follow(email="res@example.org", topic=Topic.PLAN, frequency=Frequency.WEEKLY)
    follow(email="other@example.org", topic=Topic.EVENTS)
    token = first.follower.token

    page = client.get(f"/follow/manage/{token}/")
    text = " ".join(BeautifulSoup(page.text, "html.parser").get_text().split())
    assert "Safety plan recommendation 38: an email for each change" in text
    assert "The city's public-safety plan: a weekly digest" in text
    assert "other@example.org" not in text and "Upcoming COPE events" not in text
    assert "no-store" in page["Cache-Control"]

    client.post(f"/follow/unsubscribe/{first.token}/")
    assert Subscription.objects.filter(follower__email="res@example.org").count() == 1
    client.post(f"/follow/manage/{token}/")
    assert not Follower.objects.filter(email="res@example.org").exists()
    ended = client.get(f"/follow/manage/{token}/")
    assert ended.status_code == 200 and "You have stopped these emails" in ended.text


def test_confirmation_emails_are_limited_per_address_and_requests_per_connection(
    cope_content, post_follow, mailoutbox, settings
):
    settings.FOLLOW_CONFIRMATIONS_PER_ADDRESS_PER_DAY = 3
    settings.FOLLOW_REQUESTS_PER_HOUR = 4

    answers = [post_follow(email="Res@Example.org").status_code for _ in range(4)]
    assert answers == [302, 302, 302, 302]  # the same answer, but
    assert len(mailoutbox) == 3  # no fourth email to that address today

    limited = post_follow(email="again@example.org")
    assert limited.status_code == 429 and limited["Retry-After"] == "3600"
    assert 'value="again@example.org"' in limited.text
    assert len(mailoutbox) == 3


def test_bad_input_is_explained_beside_the_field_and_kept(cope_content, post_follow, mailoutbox):
    response = post_follow(email="not an address", recommendation="99")

    assert response.status_code == 422
    assert response.text.count("Enter an email address in the correct format") == 2
    assert response.text.count("Choose a recommendation number from 1 to 82") == 2
    assert 'value="not an address"' in response.text
    assert "<title>Error: " in response.text
    assert mailoutbox == [] and FollowRequest.objects.count() == 0


def test_the_honeypot_refuses_what_a_bot_fills_in(cope_content, post_follow, mailoutbox):
    response = post_follow(email="bot@example.org", website="http://spam.example")

    assert response.status_code == 422
    assert mailoutbox == []


def test_events_followers_hear_of_a_published_or_cancelled_event_in_their_precinct(
    cope_content, django_capture_on_commit_callbacks, mailoutbox
):
    north, south = Precinct.objects.get(slug="north"), Precinct.objects.get(slug="south")
    follow(email="all@example.org", topic=Topic.EVENTS)
    follow(email="north@example.org", topic=Topic.EVENTS, precinct=north)
    follow(email="south@example.org", topic=Topic.EVENTS, precinct=south)
    starts = timezone.now() + timedelta(days=3)

    with django_capture_on_commit_callbacks(execute=True):
        event = Event.objects.create(
            title="North walk",
            slug="north-walk",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            precinct=north,
            is_published=False,
        )
    tell_followers()
    assert mailoutbox == []  # a draft tells nobody
    with django_capture_on_commit_callbacks(execute=True):
        event.is_published = True
        event.save()
    tell_followers()
    with django_capture_on_commit_callbacks(execute=True):
        event.is_cancelled = True
        event.save()
    tell_followers()

    assert sorted((m.to[0], m.subject) for m in mailoutbox) == [
        ("all@example.org", "Cancelled: North walk"),
        ("all@example.org", "New COPE event: North walk"),
        ("north@example.org", "Cancelled: North walk"),
        ("north@example.org", "New COPE event: North walk"),
    ]


def test_purge_deletes_requests_left_unconfirmed_for_seven_days(cope_content):
    old = FollowRequest.objects.create(email="old@example.org", topic=Topic.PLAN)
    FollowRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    FollowRequest.objects.create(email="new@example.org", topic=Topic.PLAN)

    out = StringIO()
    call_command("purge_follow_requests", stdout=out)

    assert "1 unconfirmed follow request(s) deleted" in out.getvalue()
    assert list(FollowRequest.objects.values_list("email", flat=True)) == ["new@example.org"]


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def test_smtp_down_loses_nothing_and_the_retry_sends_each_email_once(
    cope_content, settings, django_capture_on_commit_callbacks
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 2},
        }
    }
    follow()
    post_update(django_capture_on_commit_callbacks, note="Sent while SMTP is down.")

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        call_command("send_follow_digests", stdout=StringIO())
        call_command("send_follow_digests", stdout=StringIO())
        post_update(django_capture_on_commit_callbacks, status=Status.COMPLETED)
    finally:
        server.stop()

    assert [m["Subject"] for m in inbox.messages] == [
        "Safety plan recommendation 38: In progress",
        "Safety plan recommendation 38: Completed",
    ]


def test_no_address_reaches_the_log(cope_content, post_follow, caplog, settings):
    settings.FOLLOW_CONFIRMATIONS_PER_ADDRESS_PER_DAY = 1
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "use_tls": False, "timeout": 1},
        }
    }
    with caplog.at_level("DEBUG"):
        post_follow(email="secret.person@example.org")
        post_follow(email="secret.person@example.org")

    assert caplog.records  # the failure and the limit were logged
    assert "secret.person" not in caplog.text


def test_the_follow_form_sits_on_the_pages_people_follow_from(cope_content, client):
    for path, topic in [
        ("/safety-plan/", "plan"),
        ("/safety-plan/38/", "recommendation"),
        ("/events/", "events"),
        ("/precincts/north/", "events"),
    ]:
        page = client.get(path)
        assert 'action="/follow/"' in page.text, path
        assert f'name="topic" value="{topic}"' in page.text, path
        assert "Vary" not in page or "Cookie" not in page["Vary"], path  # still cacheable


def test_each_page_s_follow_box_names_what_that_page_is_about(cope_content, client):
    """The box is kept per process and language: each recommendation and precinct keeps its own."""
    for path, name, value in [
        ("/safety-plan/38/", "recommendation", "38"),
        ("/safety-plan/39/", "recommendation", "39"),
        ("/es/safety-plan/39/", "recommendation", "39"),
        ("/precincts/north/", "precinct", "north"),
        ("/precincts/south/", "precinct", "south"),
    ]:
        box = BeautifulSoup(client.get(path).content, "html.parser").select_one(".follow-box form")
        assert box.find("input", attrs={"name": name})["value"] == value, path
    plan = BeautifulSoup(client.get("/safety-plan/").content, "html.parser")
    assert plan.select_one(".follow-box form input[name=recommendation]") is None
