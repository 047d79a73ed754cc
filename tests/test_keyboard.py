"""Keyboard users: the first Tab reaches the skip link, and it takes them to the content."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser


def test_first_tab_reaches_skip_link_and_it_moves_focus_to_main(live_server, page):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.textContent, document.activeElement.href]")
    assert focused[0].strip() == "Skip to main content"
    assert focused[1].endswith("#main")
    assert page.locator(".skip-link").is_visible()

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    in_main = page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert in_main


def focused(page) -> dict:
    return page.evaluate(
        "({text: document.activeElement.textContent.trim(), id: document.activeElement.id,"
        " tag: document.activeElement.tagName})"
    )


def tab_until(page, matches, limit=60) -> dict:
    """Press Tab until the focused element matches; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if matches(now):
            return now
    raise AssertionError(f"Tab never reached it; last focused {now}")


def test_a_phone_user_finds_a_precinct_by_zip_and_reaches_the_volunteer_form_by_keyboard(
    live_server, chromium, transactional_db
):
    call_command("load_cope_content", stdout=StringIO())
    context = chromium.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")

        tab_until(page, lambda el: el["id"] == "finder-q")
        page.keyboard.type("35207")
        page.keyboard.press("Enter")
        page.wait_for_url("**/precincts/find/?q=35207")
        answer = page.locator("#finder-answer")
        assert "ZIP code 35207 is served by the North Precinct" in answer.inner_text()
        assert answer.get_by_role("link", name="(205) 254-2860").is_visible()

        tab_until(page, lambda el: el["tag"] == "SUMMARY" and el["text"] == "Menu")
        page.keyboard.press("Enter")
        tab_until(page, lambda el: el["text"] == "Volunteer")
        page.keyboard.press("Enter")
        page.wait_for_url("**/volunteer/")

        assert page.get_by_role("heading", name="Before you start").is_visible()
        tab_until(page, lambda el: el["id"] == "id_full_name")
        page.keyboard.type("Ada Lovelace")
        assert page.locator("#id_full_name").input_value() == "Ada Lovelace"
    finally:
        context.close()
