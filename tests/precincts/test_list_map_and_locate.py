"""The precincts list draws the areas as the precinct pages do, and "Use my location" is offered
only where the portal can answer it: once boundaries are loaded."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db

FINDER_PAGES = ["/", "/precincts/", "/precincts/find/", "/es/precincts/"]


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def test_without_boundaries_no_page_offers_use_my_location_nor_a_map(client, cope_content):
    for url in FINDER_PAGES:
        page = soup_of(client.get(url))
        assert page.find(id="finder-locate") is None, url
        assert not page.select('script[src*="precinct-locate"]'), url
    assert soup_of(client.get("/precincts/")).select("svg.outline-map") == []


def test_once_boundaries_are_loaded_the_button_and_the_list_map_appear(client, boundaries):
    for url in FINDER_PAGES:
        page = soup_of(client.get(url))
        assert page.find("button", id="finder-locate-button"), url
        assert page.select('script[src*="precinct-locate"]'), url

    page = soup_of(client.get("/precincts/"))
    [svg] = page.select("svg.outline-map")
    assert svg["role"] == "img"
    assert len(svg.select("path.map-area")) == 4
    assert svg.select("path.is-this") == []  # no precinct singled out on the list
    assert svg.find("desc").get_text() == (
        "The outlines of the City of Birmingham's 4 precinct areas."
    )
    labels = sorted(text.get_text() for text in svg.select("text.map-label"))
    assert labels == ["East Precinct", "North Precinct", "South Precinct", "West Precinct"]
