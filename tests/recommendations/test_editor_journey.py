"""An editor signs in, posts a status update, and the public page and feed show it at once."""

import feedparser
import pytest
from factories import PASSWORD

pytestmark = pytest.mark.browser


def test_editor_posts_an_update_that_the_public_sees(
    live_server, page, transactional_db, cope_content, editor, settings
):
    settings.PAGE_CACHE_SECONDS = 600  # as in production: the change must show through the cache
    page.goto(live_server.url + "/safety-plan/13/")  # cached before the change
    assert "No update available" in page.locator("main").inner_text()

    page.goto(live_server.url + "/staff/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/staff/recommendations/recommendation/?q=13")
    page.get_by_role("link", name="13", exact=True).click()
    page.locator("#id_updates-1-status").select_option(label="In planning")
    page.locator("#id_updates-1-note").fill("Peacemaker fellowship design has begun.")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    page.context.clear_cookies()  # a resident, not signed in
    page.goto(live_server.url + "/safety-plan/13/")
    history = page.locator("ol.history > li").first.inner_text()
    assert "In planning" in history and "Peacemaker fellowship design has begun." in history
    assert "COPE staff" in history and "editor" not in history

    feed = feedparser.parse(page.request.get(live_server.url + "/safety-plan/13/feed/").body())
    assert feed.entries[0].summary == "Peacemaker fellowship design has begun."
