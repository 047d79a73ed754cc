"""The admin's door: lockouts, two-factor sign-in, staff accounts, sessions and the audit log."""

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessLog
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from factories import PASSWORD, StaffFactory

from portal.roles import COORDINATOR

pytestmark = pytest.mark.django_db
LOGIN = "/staff/login/?next=/staff/"


def sign_in(client, username="editor", password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password} | extra)


def test_admin_is_titled_cope_staff(client):
    assert "COPE staff" in client.get(LOGIN).text


def test_correct_password_signs_in_and_the_session_ends_with_the_browser(client, editor):
    response = sign_in(client)

    assert response.status_code == 302 and response["Location"] == "/staff/"
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie


def test_five_failures_lock_the_username_for_an_hour_with_a_clear_message(client, editor):
    for _ in range(5):
        sign_in(client, password="wrong password here")

    response = sign_in(client)  # now with the right password

    assert response.status_code == 429
    assert "This account is locked for an hour" in response.text
    assert "_auth_user_id" not in client.session


def test_staff_sign_ins_are_kept_90_days_then_forgotten_as_the_timer_runs_it(client, editor):
    sign_in(client)
    client.logout()
    sign_in(client)
    assert AccessLog.objects.filter(username="editor").count() == 2  # who, address, browser
    old = AccessLog.objects.earliest("attempt_time")
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(days=91))

    call_command("axes_reset_logs", "--age", "90", stdout=StringIO())  # cope-purge-sign-in-log

    assert list(AccessLog.objects.values_list("username", flat=True)) == ["editor"]
    assert not AccessLog.objects.filter(pk=old.pk).exists()


def test_a_forged_forwarded_for_header_does_not_reset_the_count(client, editor):
    for n in range(5):
        client.post(
            LOGIN,
            {"username": "editor", "password": "wrong password here"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )

    response = client.post(
        LOGIN, {"username": "editor", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.77"
    )

    assert response.status_code == 429


def test_a_locked_username_does_not_lock_out_a_colleague(client, editor):
    StaffFactory(username="co")
    for _ in range(5):
        sign_in(client, password="wrong password here")

    response = client.post(
        LOGIN, {"username": "co", "password": PASSWORD}, REMOTE_ADDR="192.0.2.50"
    )

    assert response.status_code == 302


def test_staff_with_an_authenticator_must_give_the_current_code(client, editor):
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)

    without = sign_in(client)
    right = sign_in(client, otp_token=f"{totp(device.bin_key):06d}")
    signed_in = client.get("/staff/").status_code
    client.logout()
    wrong = sign_in(client, otp_token=f"{(totp(device.bin_key) + 1) % 1_000_000:06d}")

    assert without.status_code == 200
    assert "6-digit code from your authenticator app" in without.text
    assert right.status_code == 302 and signed_in == 200
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session


def test_required_two_factor_keeps_out_staff_without_an_authenticator(client, editor, settings):
    settings.STAFF_REQUIRE_2FA = True

    response = sign_in(client)

    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "If two-factor sign-in is required and you have no authenticator" in response.text


@pytest.mark.parametrize("required", [False, True])
def test_with_two_factor_a_wrong_password_and_a_wrong_code_get_the_same_answer(
    client, editor, settings, required
):
    from axes.utils import reset

    settings.STAFF_REQUIRE_2FA = required
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    right_code, wrong_code = f"{totp(device.bin_key):06d}", "000000"
    if right_code == wrong_code:
        wrong_code = "111111"
    attempts = [
        ("wrong password here", ""),
        ("wrong password here", wrong_code),
        ("wrong password here", right_code),
        (PASSWORD, ""),
        (PASSWORD, wrong_code),
    ]

    answers = set()
    for password, code in attempts:
        response = sign_in(client, password=password, otp_token=code)
        form = response.context["form"]
        errors = tuple((name, tuple(messages)) for name, messages in form.errors.items())
        answers.add((response.status_code, errors))
        assert "_auth_user_id" not in client.session
        reset()  # each attempt alone: the fifth failure would lock the account (tested above)

    assert len(answers) == 1, answers
    TOTPDevice.objects.get(pk=device.pk).throttle_reset()  # wrong codes slow the next tries
    assert sign_in(client, otp_token=f"{totp(device.bin_key):06d}").status_code == 302


def test_createstaff_makes_an_account_in_a_role(monkeypatch):
    monkeypatch.setattr("sys.stdin", StringIO("a long enough passphrase\n"))

    call_command(
        "createstaff", "coord", "--role", "coordinator", "--password-stdin", stdout=StringIO()
    )

    user = User.objects.get(username="coord")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [COORDINATOR]
    assert user.check_password("a long enough passphrase")


def test_createstaff_refuses_a_short_password(monkeypatch):
    monkeypatch.setattr("sys.stdin", StringIO("short\n"))

    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("createstaff", "x", "--role", "editor", "--password-stdin")
    assert not User.objects.filter(username="x").exists()


def test_admin_changes_are_logged_and_only_superusers_read_the_log(client, admin_client, editor):
    admin_client.post("/staff/portal/sitesettings/add/", {"email": "cope@example.gov"})
    client.force_login(editor)

    log = admin_client.get("/staff/admin/logentry/")

    assert log.status_code == 200 and "COPE contact details" in log.text
    assert client.get("/staff/admin/logentry/").status_code == 403
