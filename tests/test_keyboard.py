"""Keyboard users: the first Tab reaches the skip link, and it takes them to the content."""

import pytest

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
