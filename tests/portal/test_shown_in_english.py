"""Where a Spanish page, or the Spanish feed, shows the safety plan's English (titles, notes,
history), it says once, where it appears, that the city published them in English; English
pages do not say it."""

import feedparser
import pytest
from bs4 import BeautifulSoup

from recommendations.models import Recommendation, Status
from recommendations.services import record_status_update

pytestmark = pytest.mark.django_db

NOTE = (
    "Las recomendaciones, sus notas de avance y su historial se muestran en inglés, tal como los "
    "publicó la ciudad."
)


@pytest.fixture
def a_change(cope_content):
    return record_status_update(
        recommendation=Recommendation.objects.get(number=5), status=Status.IN_PROGRESS, note="Done."
    )


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("/es/safety-plan/", "#results"),
        ("/es/safety-plan/changes/", "section[aria-labelledby=changes-heading]"),
        ("/es/", "section[aria-labelledby=plan-glance]"),
        ("/es/follow/", "form"),
    ],
)
def test_a_spanish_page_says_once_where_the_english_is(client, a_change, path, where):
    soup = BeautifulSoup(client.get(path).content, "html.parser")

    assert [p.get_text() for p in soup.select(".shown-in-english")] == [NOTE]
    assert soup.select_one(where).select_one(".shown-in-english") is not None


@pytest.mark.parametrize("path", ["/safety-plan/", "/safety-plan/changes/", "/", "/follow/"])
def test_english_pages_do_not_say_it(client, a_change, path):
    soup = BeautifulSoup(client.get(path).content, "html.parser")

    assert soup.select(".shown-in-english") == []


def test_the_spanish_feeds_say_it_and_the_english_ones_do_not(client, a_change):
    spanish = feedparser.parse(client.get("/es/safety-plan/feed/").content)
    one = feedparser.parse(client.get("/es/safety-plan/5/feed/").content)
    english = feedparser.parse(client.get("/safety-plan/feed/").content)

    assert spanish.feed.subtitle.endswith(NOTE)
    assert one.feed.subtitle.endswith(NOTE)
    assert "inglés" not in english.feed.subtitle
