"""An editor imports the city's two-row status report, then retracts one of its updates."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

from portal.roles import EDITOR

pytestmark = pytest.mark.browser
REPORT = (
    b"number,status,progress note\n5,COMPLETED,Strategy adopted.\n13,IN PLANNING,Design begun.\n"
)


def test_editor_imports_a_report_and_retracts_one_update(
    live_server, page, transactional_db, settings
):
    settings.PAGE_CACHE_SECONDS = 600  # as in production: changes must show through the cache
    call_command("load_cope_content", stdout=StringIO())
    editor = User.objects.create_user("editor", password="a long passphrase 42", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/safety-plan/changes/")  # cached before the import

    page.goto(live_server.url + "/staff/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a long passphrase 42")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/staff/recommendations/recommendation/")
    page.get_by_role("link", name="Import the city's status report").click()
    page.get_by_label("Status report (CSV)").set_input_files(
        {"name": "report.csv", "mimeType": "text/csv", "buffer": REPORT}
    )
    page.get_by_label("Date of the report").fill("2026-03-31")
    page.get_by_role("button", name="Check the report").click()

    changes = page.locator("#report-changes tbody tr")
    expect(changes).to_have_count(2)
    assert "In progress → Completed" in changes.nth(0).inner_text()
    assert "No update available → In planning" in changes.nth(1).inner_text()
    page.get_by_role("button", name="Apply these 2 changes").click()
    expect(page.locator(".messagelist")).to_contain_text("Applied: 2 changed, 0 unchanged.")

    page.goto(live_server.url + "/staff/recommendations/recommendation/?q=5")
    page.get_by_role("link", name="5", exact=True).click()
    page.get_by_role("link", name="Retract…").first.click()
    page.get_by_label("Reason").fill("The report was misread: 5 is still in progress.")
    page.get_by_role("button", name="Retract this update").click()
    expect(page.locator(".messagelist")).to_contain_text("The update is retracted")

    page.context.clear_cookies()  # a resident, not signed in
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + "/safety-plan/changes/")
    first = page.locator("ol.changes > li").first
    assert "13. Peacemaker Fellowships" in first.inner_text()
    retracted = page.locator("ol.changes > li.retracted")
    assert retracted.count() == 1
    assert "The report was misread" in retracted.inner_text()
    assert "City status report of March 31, 2026" in retracted.inner_text()
    page.goto(live_server.url + "/safety-plan/5/")
    assert page.locator("h1 + p .status").inner_text() == "In progress"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
