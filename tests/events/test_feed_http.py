"""The Atom feeds as HTTP resources (core/feeds.py): paged, cheap to poll, GET only."""

import feedparser
import pytest

pytestmark = pytest.mark.django_db

FEEDS = ["/news/feed/", "/es/news/feed/", "/safety-plan/feed/", "/safety-plan/38/feed/"]


def links(feed) -> dict[str, str]:
    return {link.rel: link.href for link in feed.feed.links}


def test_a_reader_follows_next_back_to_the_oldest_post_and_misses_none(client, make_post):
    from datetime import date, timedelta

    for day in range(65):
        make_post(date=date(2026, 1, 1) + timedelta(days=day))

    seen, address, pages = [], "/news/feed/", 0
    while address:
        feed = feedparser.parse(client.get(address).content)
        assert not feed.bozo
        seen += [entry.title for entry in feed.entries]
        pages += 1
        assert links(feed)["self"].endswith(address)
        assert links(feed)["first"] == "http://testserver/news/feed/"
        address = links(feed).get("next", "").removeprefix("http://testserver")

    assert pages == 3 and len(seen) == len(set(seen)) == 65
    last = feedparser.parse(client.get("/news/feed/?page=3").content)
    assert links(last)["previous"] == "http://testserver/news/feed/?page=2"


def test_the_plan_feed_pages_keep_since(client, cope_content):
    feed = feedparser.parse(client.get("/safety-plan/feed/?since=2020-01-01&page=2").content)

    assert links(feed)["first"].endswith("/safety-plan/feed/?since=2020-01-01")
    assert links(feed)["previous"].endswith("/safety-plan/feed/?since=2020-01-01")


def test_summaries_are_declared_plain_text(client, make_post):
    make_post(summary="Less than <b>bold</b> & more.")

    entry = feedparser.parse(client.get("/news/feed/").content).entries[0]

    assert entry.summary_detail.type == "text/plain"
    assert entry.summary == "Less than <b>bold</b> & more."


def test_an_empty_feed_is_dated_by_its_content_not_by_the_clock(client, db, time_machine):
    time_machine.move_to("2026-05-01 12:00:00Z")
    first = client.get("/news/feed/")
    time_machine.move_to("2026-05-02 12:00:00Z")
    second = client.get("/news/feed/")

    assert first.content == second.content
    assert feedparser.parse(first.content).feed.updated == "2025-01-01T00:00:00+00:00"
    assert first["Last-Modified"] == "Wed, 01 Jan 2025 00:00:00 GMT"


@pytest.mark.parametrize("path", FEEDS)
def test_feeds_answer_304_to_their_etag_and_last_modified(client, cope_content, path):
    first = client.get(path)

    assert first["ETag"].startswith('"') and first.has_header("Last-Modified")
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert client.get(path, headers={"if-none-match": first["ETag"]}).status_code == 304
    since = client.get(path, headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304


@pytest.mark.parametrize("path", FEEDS)
@pytest.mark.parametrize("method", ["post", "put", "delete", "options"])
def test_feeds_refuse_other_methods_as_pages_do(client, cope_content, path, method):
    response = getattr(client, method)(path)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
