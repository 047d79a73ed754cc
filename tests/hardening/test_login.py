"""Family 6, the staff sign-in: no session fixation, and signing out ends the session."""

import pytest
from django.test import Client
from factories import PASSWORD, SuperuserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return SuperuserFactory(username="staffer")


def test_signing_in_issues_a_new_session_key(client, staff):
    client.get("/staff/login/")
    client.cookies["sessionid"] = "attacker-chosen-session-key"

    client.post("/staff/login/", {"username": "staffer", "password": PASSWORD})

    assert client.cookies["sessionid"].value != "attacker-chosen-session-key"
    assert client.get("/staff/").status_code == 200


def test_signing_out_invalidates_the_old_session_cookie(client, staff):
    client.post("/staff/login/", {"username": "staffer", "password": PASSWORD})
    stolen = client.cookies["sessionid"].value

    client.post("/staff/logout/")
    replay = Client()
    replay.cookies["sessionid"] = stolen

    assert replay.get("/staff/").status_code == 302  # back to the sign-in page


def test_session_and_csrf_cookies_are_secure_and_httponly_with_https(client, staff, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True

    response = client.post(
        "/staff/login/", {"username": "staffer", "password": PASSWORD}, secure=True
    )

    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
