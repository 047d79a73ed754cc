"""An editor signs in, posts a status update, and the public page and feed show it at once."""

import feedparser
import pytest
from factories import PASSWORD
from playwright.sync_api import expect

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
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.context.clear_cookies()  # a resident, not signed in
    page.goto(live_server.url + "/safety-plan/13/")
    history = page.locator("ol.history > li").first.inner_text()
    assert "In planning" in history and "Peacemaker fellowship design has begun." in history
    assert "COPE staff" in history and "editor" not in history

    feed = feedparser.parse(page.request.get(live_server.url + "/safety-plan/13/feed/").body())
    assert feed.entries[0].summary == "Peacemaker fellowship design has begun."


def test_editor_posts_a_backward_move_only_after_confirming_it_with_the_followers_named(
    live_server, page, transactional_db, cope_content, editor
):
    from follow.models import Follower, Subscription, Topic
    from recommendations.models import Recommendation

    rec = Recommendation.objects.get(number=38)
    for n, topic in enumerate([Topic.PLAN, Topic.RECOMMENDATION]):
        Subscription.objects.create(
            follower=Follower.objects.create(email=f"reader{n}@example.org"),
            topic=topic,
            recommendation=rec if topic == Topic.RECOMMENDATION else None,
        )
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + "/staff/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/staff/recommendations/recommendation/?q=38")
    page.get_by_role("link", name="Post an update").click()

    status = page.get_by_label("Status")
    assert status.input_value() == "in-progress"  # starts at the current status
    status.select_option(label="No update available")
    page.get_by_label("Note").fill("The sponsor withdrew the bill.")
    page.get_by_role("button", name="Post the update").click()

    warning = page.get_by_role("alert").inner_text()
    assert "from In progress to No update available" in warning
    assert "2 followers will be told by email" in warning
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    rec.refresh_from_db()
    assert rec.status == "in-progress"  # nothing posted before the confirmation

    page.get_by_role("button", name="Yes, move it back to No update available").click()
    expect(page.locator(".messagelist")).to_contain_text("is posted")
    page.goto(live_server.url + "/safety-plan/38/")
    assert "The sponsor withdrew the bill." in page.locator("ol.history > li").first.inner_text()
