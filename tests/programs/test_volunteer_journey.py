"""A volunteer signs up from a program page on a phone; the coordinator finds it in the queue."""

import re

import pytest
from factories import PASSWORD

pytestmark = pytest.mark.browser


def test_volunteer_signs_up_corrects_a_mistake_and_the_coordinator_sees_it(
    live_server, page, transactional_db, cope_content, coordinator
):

    page.goto(live_server.url + "/programs/ride-along-program/")
    page.get_by_role("link", name="Sign up for Ride-along Program").click()
    assert page.get_by_label("Ride-along Program").is_checked()

    page.get_by_label("Full name", exact=True).fill("Dana Brooks")
    page.get_by_label("18 or over").check()
    page.get_by_label("Email address").fill("dana@example")  # a mistake
    page.get_by_label("ZIP code").fill("35206")
    page.get_by_label("Weekends").check()
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_label("COPE may contact me about volunteering").check()
    page.get_by_role("button", name="Send my sign-up").click()

    assert page.title().startswith("Error: ")
    summary = page.locator(".error-summary")
    assert "Enter an email address in the correct format" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.get_by_label("Full name", exact=True).input_value() == "Dana Brooks"
    summary.get_by_role("link").first.click()
    page.get_by_label("Email address").fill("dana@example.org")
    page.get_by_role("button", name="Send my sign-up").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Thank you for signing up"
    reference = re.search(r"V-[A-Z0-9]{6}", page.locator(".reference").inner_text()).group()
    assert "dana" not in page.url.lower()
    assert [e for e in page.console_errors if "422 (Unprocessable Entity)" not in e] == []

    page.goto(live_server.url + "/staff/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/staff/programs/volunteersignup/")
    row = page.locator("#result_list tbody tr").first
    assert reference in row.inner_text() and "Dana Brooks" in row.inner_text()
