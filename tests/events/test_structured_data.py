"""schema.org JSON-LD (read back with extruct, as search engines' tools do) and OpenGraph."""

import extruct
import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


def json_ld(response) -> list[dict]:
    assert response.status_code == 200
    return extruct.extract(response.text, syntaxes=["json-ld"], uniform=True)["json-ld"]


def opengraph(response) -> dict[str, list[str]]:
    found = {}
    for meta in BeautifulSoup(response.content, "html.parser").select("meta[property^='og:']"):
        found.setdefault(meta["property"], []).append(meta["content"])
    return found


def test_a_cancelled_event_says_so_to_search_engines(client, make_event):
    make_event(slug="walk", title="Walk in Ensley", is_cancelled=True)

    (data,) = json_ld(client.get("/events/walk/"))

    assert data["@type"] == "Event" and data["name"] == "Walk in Ensley"
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"]["streetAddress"] == "710 20th Street North, Birmingham, AL"
    assert data["organizer"]["@type"] == "GovernmentOrganization"
    assert data["startDate"].endswith(("-05:00", "-06:00"))
    assert data["url"] == "http://testserver/events/walk/"


def test_an_event_online_and_in_person_is_mixed(client, make_event):
    make_event(slug="walk", online_url="https://meet.example.org/cope")

    (data,) = json_ld(client.get("/es/events/walk/"))

    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert {place["@type"] for place in data["location"]} == {"Place", "VirtualLocation"}
    assert data["inLanguage"] == "es" and data["url"] == "http://testserver/es/events/walk/"
    assert data["organizer"]["name"] == "División COPE, Departamento de Policía de Birmingham"


def test_news_posts_are_news_articles_credited_to_their_source(client, cope_content):
    (data,) = json_ld(client.get("/news/community-walk-east-birmingham-2016/"))

    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Community walk in east Birmingham"
    assert data["author"] == {"@type": "Organization", "name": "WBRC"}
    assert data["datePublished"].startswith("2016-")


def test_programs_are_government_services(client, cope_content):
    (data,) = json_ld(client.get("/programs/ride-along-program/"))

    assert data["@type"] == "GovernmentService"
    assert data["provider"]["@type"] == "GovernmentOrganization"
    assert data["url"] == "http://testserver/programs/ride-along-program/"


def test_precincts_keep_their_police_station(client, cope_content):
    (data,) = json_ld(client.get("/precincts/west/"))

    assert data["@type"] == "PoliceStation"


def test_json_ld_cannot_close_its_script_element(client, make_event):
    make_event(slug="walk", title="</script><script>alert(1)</script>")

    page = client.get("/events/walk/").text

    assert "</script><script>alert(1)" not in page
    assert json_ld(client.get("/events/walk/"))[0]["name"].startswith("</script>")


@pytest.mark.parametrize(
    ("path", "kind", "locale", "other"),
    [
        ("/events/walk/", "website", "en_US", "es_US"),
        ("/es/news/community-walk-east-birmingham-2016/", "article", "es_US", "en_US"),
        ("/programs/ride-along-program/", "website", "en_US", "es_US"),
        ("/", "website", "en_US", "es_US"),
    ],
)
def test_public_pages_carry_opengraph(client, cope_content, make_event, path, kind, locale, other):
    make_event(slug="walk", title="Walk in Ensley")

    og = opengraph(client.get(path))

    assert og["og:type"] == [kind] and og["og:locale"] == [locale]
    assert og["og:locale:alternate"] == [other]
    assert og["og:url"] == [f"http://testserver{path}"]
    assert og["og:site_name"]
    if path != "/":
        assert og["og:title"][0] and og["og:description"][0]
