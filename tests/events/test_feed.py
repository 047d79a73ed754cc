"""The news Atom feed parses and credits its sources."""

import feedparser
import pytest

pytestmark = pytest.mark.django_db


def test_news_feed_is_valid_atom_with_the_published_posts(client, cope_content, make_post):
    make_post(title="Draft post", slug="draft-post", is_published=False)

    response = client.get("/news/feed/")
    feed = feedparser.parse(response.content)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert not feed.bozo and feed.version == "atom10"
    titles = [entry.title for entry in feed.entries]
    assert titles == [
        "U.S. Attorney's Office launches the Birmingham Safe Neighborhoods Task Force",
        "Community walk in east Birmingham",
    ]
    assert feed.entries[1].author == "WBRC"
    assert feed.entries[1].link.endswith("/news/community-walk-east-birmingham-2016/")


@pytest.mark.parametrize("language", ["", "/es"])
def test_news_feed_runs_one_query(client, cope_content, django_assert_num_queries, language):
    with django_assert_num_queries(1):
        client.get(f"{language}/news/feed/")
