"""A resident follows recommendation 38, confirms from the email, and hears of an editor's
update, with an unsubscribe link that works."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

from follow.models import Subscription
from portal.roles import EDITOR
from tests.taskqueue import run_worker, tell_followers

pytestmark = pytest.mark.browser


def link_in(message, path: str) -> str:
    return re.search(rf"http://\S+?({path}\S+/)", message.body).group(1)


def test_follow_confirm_hear_of_an_update_and_unsubscribe(
    live_server, page, transactional_db, mailoutbox, settings
):
    settings.PAGE_CACHE_SECONDS = 600  # as in production: the form sits on a cached page
    call_command("load_cope_content", stdout=StringIO())
    editor = User.objects.create_user("editor", password="a long passphrase 42", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))

    page.goto(live_server.url + "/safety-plan/38/")
    box = page.get_by_role("region", name="Follow this recommendation by email")
    box.get_by_label("Your email address").fill("resident@example.org")
    box.get_by_role("button", name="Follow by email").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    assert mailoutbox == []  # the worker sends, never the request
    run_worker()
    (confirmation,) = mailoutbox
    assert not Subscription.objects.exists()

    page.goto(live_server.url + link_in(confirmation, "/follow/confirm/"))
    page.get_by_role("button", name="Yes, send me these emails").click()
    expect(page.locator("main")).to_contain_text("Confirmed.")
    expect(page.locator("main")).to_contain_text("Safety plan recommendation 38")

    page.context.clear_cookies()
    page.goto(live_server.url + "/staff/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a long passphrase 42")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/staff/recommendations/recommendation/?q=38")
    page.get_by_role("link", name="38", exact=True).click()
    page.locator("#id_updates-1-status").select_option(label="In progress")
    page.locator("#id_updates-1-note").fill("The bill has a sponsor.")
    page.get_by_role("button", name="Save", exact=True).click()
    messages = page.locator(".messagelist")
    expect(messages).to_contain_text("was changed successfully")
    expect(messages).to_contain_text("Followers will be emailed about this at")
    expect(messages).to_contain_text("retract the update before then")
    assert len(mailoutbox) == 1  # nothing yet: the undo window is open

    tell_followers()
    assert len(mailoutbox) == 2
    update = mailoutbox[1]
    assert update.to == ["resident@example.org"]
    assert update.subject == "Safety plan recommendation 38: In progress"
    assert "The bill has a sponsor." in update.body

    page.context.clear_cookies()
    page.goto(live_server.url + link_in(update, "/follow/unsubscribe/"))
    page.get_by_role("button", name="Stop these emails").click()
    expect(page.locator("main")).to_contain_text(
        "no more emails about safety plan recommendation 38"
    )
    assert not Subscription.objects.exists()
