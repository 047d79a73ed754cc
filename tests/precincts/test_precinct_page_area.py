"""A precinct page worth a visit: its area, neighborhoods, officer, hours and an SVG map drawn
by the portal from the boundaries (no tiles, no third-party requests)."""

import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from precincts.models import Precinct

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def page(client, slug, language=""):
    return client.get(f"{language}/precincts/{slug}/")


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def section_text(response, heading_id) -> str:
    return " ".join(soup_of(response).find(id=heading_id).parent.get_text().split())


def svg_of(response) -> ET.Element:
    """The page's map, parsed as XML: it must be well-formed SVG on its own."""
    text = response.content.decode()
    start = text.index("<svg")
    end = text.index("</svg>", start) + len("</svg>")
    return ET.fromstring(text[start:end])  # noqa: S314 (the portal's own page)


def test_the_map_draws_all_four_outlines_this_one_highlighted_and_the_station(client, boundaries):
    Precinct.objects.filter(slug="north").update(latitude="33.58", longitude="-86.81")

    svg = svg_of(page(client, "north"))

    paths = svg.findall(f"{SVG}path")
    assert len(paths) == 4
    assert [p.get("class") for p in paths].count("map-area is-this") == 1
    assert paths[-1].get("class") == "map-area is-this"  # drawn last, on top
    assert len(svg.findall(f"{SVG}circle")) == 1
    labels = [t.text for t in svg.findall(f"{SVG}text")]
    assert sorted(labels) == ["East Precinct", "North Precinct", "South Precinct", "West Precinct"]
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "precinct-map-title precinct-map-desc"


def test_the_map_is_described_in_text(client, boundaries):
    Precinct.objects.filter(slug="north").update(latitude="33.58", longitude="-86.81")

    response = page(client, "north")

    svg = svg_of(response)
    description = svg.find(f"{SVG}desc").text
    assert description == (
        "The outlines of the City of Birmingham's 4 precinct areas, with the North Precinct's "
        "area highlighted, in the north of the city. It borders: East Precinct, West Precinct. "
        "The station is marked with a dot."
    )
    caption = " ".join(soup_of(response).find("figcaption").get_text().split())
    assert caption.startswith(description)
    assert "Boundaries: Test fixture (invented, not the city's), January 15, 2026." in caption


def test_without_the_station_coordinates_no_dot_is_promised(client, boundaries):
    svg = svg_of(page(client, "south"))

    assert svg.findall(f"{SVG}circle") == []
    assert "marked with a dot" not in svg.find(f"{SVG}desc").text
    assert "in the southeast of the city" in svg.find(f"{SVG}desc").text


def test_the_map_makes_no_request_anywhere(client, boundaries):
    response = page(client, "east")

    map_html = str(soup_of(response).find("figure", class_="precinct-map"))
    assert "http" not in map_html.replace("http://www.w3.org/2000/svg", "")
    assert "<img" not in map_html and "<image" not in map_html


def test_without_boundaries_the_page_says_there_is_no_map_yet(client, cope_content):
    response = page(client, "north")

    assert response.status_code == 200
    assert "<svg" not in response.text
    assert "The precinct boundaries are not on the portal yet" in section_text(response, "area")


def test_the_area_and_neighborhoods_are_shown_with_their_source_until_staff_confirm(
    client, cope_content
):
    response = page(client, "west")

    text = section_text(response, "area")
    assert "About 65 square miles. Source" in text
    area = soup_of(response).find(id="area").parent
    assert area.find("a", string="Source")["href"] == (
        "https://police.birminghamal.gov/bureaus/patrol/west-precinct/"
    )
    lists = area.select("ul.neighborhoods")
    assert [li.get_text() for li in lists[0].select("li")] == ["Ensley"]
    assert [li.get_text() for li in lists[1].select("li")] == [
        "Brownsville",
        "Five Points West",
        "Powderly",
        "Pratt City",
        "Roosevelt City",
        "Wylam",
    ]
    assert "not yet confirmed by COPE staff" in text


def test_the_south_precinct_without_a_source_says_what_is_not_known(client, cope_content):
    text = section_text(page(client, "south"), "area")

    assert "square miles" not in text
    assert "No neighborhoods are on file for this precinct yet" in text


def test_a_crime_prevention_officer_staff_entered_is_shown_with_their_contact(client, cope_content):
    north = Precinct.objects.get(slug="north")
    north.crime_prevention_officer = "Officer Example"
    north.crime_prevention_officer_phone = "205 555 0199"
    north.crime_prevention_officer_email = "cpo.north@example.gov"
    north.hours = "Monday to Friday, staff-confirmed"
    north.full_clean()
    north.save()

    response = page(client, "north")

    officer = soup_of(response).find(id="cpo").parent
    assert "Officer Example" in officer.get_text()
    assert officer.find("a", href="tel:+12055550199") is not None
    assert officer.find("a", href="mailto:cpo.north@example.gov") is not None
    assert "not published yet" not in section_text(response, "hours")


def test_the_page_and_its_map_are_in_spanish(client, boundaries):
    response = page(client, "north", "/es")

    svg = svg_of(response)
    assert "Estación de Policía Norte" in [t.text for t in svg.findall(f"{SVG}text")]
    assert svg.find(f"{SVG}desc").text.startswith(
        "Los contornos de las áreas de las 4 estaciones de policía de la Ciudad de Birmingham, con "
        "el área de la Estación de Policía Norte resaltada, en el norte de la ciudad."
    )
    assert "Unas 41 millas cuadradas." in section_text(response, "area")
