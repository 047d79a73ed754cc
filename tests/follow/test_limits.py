"""The follow limits count mailboxes and networks, and hold while the shared cache is away."""

import pytest

from follow.models import FollowRequest
from tests.taskqueue import run_worker

pytestmark = pytest.mark.django_db

QUOTED_VARIANTS = [
    '"bo\\mb"@example.net',
    '"b\\omb"@example.net',
    '"\\bomb"@example.net',
    '"bom\\b"@example.net',
    '"bomb"@example.net',
]


def ask(client, email, *, address="203.0.113.7", path="/follow/"):
    data = {"topic": "plan", "frequency": "each", "email": email}
    return client.post(path, data, REMOTE_ADDR=address)


def test_quoted_spellings_of_one_mailbox_are_refused_beside_the_field(
    cope_content, client, smtp, django_capture_on_commit_callbacks
):
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for n, variant in enumerate(QUOTED_VARIANTS):
            for attempt in range(3):
                answers.append(ask(client, variant, address=f"198.51.100.{n * 3 + attempt + 1}"))
    run_worker()

    assert {a.status_code for a in answers} == {422}
    assert "Enter an email address in the correct format" in answers[0].text
    assert 'value="&quot;bo\\mb&quot;@example.net"' in answers[0].text  # kept as typed
    assert len(smtp.raw) <= 3 and FollowRequest.objects.count() == 0


def test_control_characters_are_refused_in_both_languages(cope_content, client):
    english = ask(client, "pq\x7fz@example.org")
    spanish = ask(client, "pq\x7fz@example.org", path="/es/follow/")

    assert english.status_code == spanish.status_code == 422
    assert "Enter an email address in the correct format" in english.text
    assert "Escriba un correo electrónico con el formato correcto" in spanish.text


def test_plus_addresses_and_letter_case_count_as_one_mailbox(
    cope_content, client, smtp, django_capture_on_commit_callbacks
):
    spellings = [f"bomb+{n}@example.net" for n in range(5)] + [
        "BOMB@EXAMPLE.NET",
        "bomb@Example.net",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            ask(client, spelling, address=f"198.51.100.{n + 1}").status_code
            for n, spelling in enumerate(spellings)
        ]
    run_worker()

    assert set(answers) == {302}  # the same answer for every one
    assert len(smtp.raw) == 3


def test_one_ipv6_network_is_one_client(cope_content, client, settings):
    settings.FOLLOW_REQUESTS_PER_HOUR = 3
    answers = [
        ask(client, f"n{n}@example.org", address=f"2001:db8:1:2::{n + 1:x}").status_code
        for n in range(4)
    ]
    other_network = ask(client, "o@example.org", address="2001:db8:1:3::1").status_code

    assert answers == [302, 302, 302, 429]
    assert other_network == 302


def test_the_limits_hold_while_the_shared_cache_is_away(
    cope_content, client, smtp, redis_away, settings, django_capture_on_commit_callbacks
):
    settings.FOLLOW_REQUESTS_PER_HOUR = 4
    with django_capture_on_commit_callbacks(execute=True):
        same_mailbox = [
            ask(client, "res@example.org", address=f"198.51.100.{n + 1}").status_code
            for n in range(5)
        ]
        one_client = [ask(client, f"c{n}@example.org").status_code for n in range(5)]
    run_worker()

    assert same_mailbox == [302] * 5
    assert len(smtp.to("res@example.org")) == 3  # counted in the database instead
    assert one_client == [302, 302, 302, 302, 429]
