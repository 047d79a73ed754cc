"""The finder by street address and by location (from the boundaries), by ZIP code where it
crosses precinct or city lines, and by neighborhood with accents and typos."""

import logging

import pytest
from bs4 import BeautifulSoup
from factories import ServiceAreaFactory
from precinct_points import EAST_ISLAND, INSIDE, NORTH_WEST_EDGE, OUTSIDE

from precincts import services
from precincts.models import Precinct, PrecinctBoundary, ServiceArea

pytestmark = pytest.mark.django_db

NAMES = {
    "north": "North Precinct",
    "south": "South Precinct",
    "east": "East Precinct",
    "west": "West Precinct",
}


def at(client, point, language=""):
    longitude, latitude = point
    return client.get(f"{language}/precincts/find/", {"lat": latitude, "lon": longitude})


def find(client, q, **headers):
    return client.get("/precincts/find/", {"q": q}, headers=headers)


def answer_of(response):
    return BeautifulSoup(response.content, "html.parser").find(id="finder-answer")


def answer_names(response) -> list[str]:
    return [h3.get_text(strip=True) for h3 in answer_of(response).select("li.precinct h3")]


def heading(response) -> str:
    return " ".join(answer_of(response).h2.get_text().split())


@pytest.mark.parametrize("slug", ["north", "south", "east", "west"])
def test_a_location_inside_each_precinct_names_it(client, boundaries, slug):
    response = at(client, INSIDE[slug])

    assert response.status_code == 200
    assert heading(response) == f"Your location is in the {NAMES[slug]}'s area"
    assert answer_names(response) == [NAMES[slug]]


def test_a_location_in_a_precincts_second_polygon_names_it(client, boundaries):
    assert answer_names(at(client, EAST_ISLAND)) == ["East Precinct"]


def test_a_location_on_a_shared_edge_names_both_precincts(client, boundaries):
    response = at(client, NORTH_WEST_EDGE)

    assert heading(response) == "Your location is on the line between 2 precincts"
    assert answer_names(response) == ["North Precinct", "West Precinct"]


def test_a_location_outside_every_boundary_says_so_and_who_to_call(client, boundaries):
    response = at(client, OUTSIDE)

    text = " ".join(answer_of(response).get_text().split())
    assert heading(response) == "Your location is outside the City of Birmingham's precincts"
    assert "Call your local police department or sheriff's office" in text
    assert answer_of(response).find("a", href="tel:+12059334175") is not None
    assert answer_of(response).find("a", href="tel:911") is not None
    assert answer_names(response) == []


def test_a_street_address_is_geocoded_and_placed_in_its_precinct(
    client, boundaries, recorded_geocoder
):
    response = find(client, "  2 Test Avenue   West ")

    assert heading(response) == "“2 Test Avenue West” is in the West Precinct's area"
    assert answer_names(response) == ["West Precinct"]
    assert recorded_geocoder.sent == [
        {
            "address": "2 Test Avenue West, Birmingham, AL",
            "benchmark": "Public_AR_Current",
            "format": "json",
        }
    ]


def test_an_address_with_its_own_city_and_zip_is_sent_as_typed(
    client, boundaries, recorded_geocoder
):
    edge = find(client, "3 Edge Road, Birmingham, AL 35204")
    elsewhere = find(client, "100 Far Away Lane, Leeds, AL")

    assert answer_names(edge) == ["North Precinct", "West Precinct"]
    assert heading(elsewhere) == (
        "“100 Far Away Lane, Leeds, AL” is outside the City of Birmingham's precincts"
    )
    assert [sent["address"] for sent in recorded_geocoder.sent] == [
        "3 Edge Road, Birmingham, AL 35204",
        "100 Far Away Lane, Leeds, AL",
    ]


def test_an_address_the_geocoder_does_not_know_says_so_and_keeps_it(client, boundaries):
    response = find(client, "9999 Nowhere Street")

    assert heading(response) == "“9999 Nowhere Street” could not be found"
    assert len(answer_names(response)) == 4
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("input", id="finder-q")["value"] == "9999 Nowhere Street"


def test_a_geocoder_outage_is_an_answer_not_an_error(client, boundaries):
    response = find(client, "1 Outage Street")

    assert response.status_code == 200
    assert heading(response) == "Addresses cannot be looked up right now"
    assert len(answer_names(response)) == 4


def test_without_boundaries_addresses_and_locations_say_so_and_nothing_is_sent(
    client, cope_content, recorded_geocoder
):
    assert not PrecinctBoundary.objects.exists()

    by_address = find(client, "2 Test Avenue West")
    by_location = at(client, INSIDE["north"])

    for response in [by_address, by_location]:
        assert response.status_code == 200
        assert heading(response) == "The precinct boundaries are not on the portal yet"
        assert len(answer_names(response)) == 4
    assert recorded_geocoder.sent == []


UNREADABLE = [
    {"lat": "abc", "lon": "-86.8"},
    {"lat": "33.5"},
    {"lat": "91", "lon": "0"},
    {"lat": "nan", "lon": "inf"},
]


@pytest.mark.parametrize("query", UNREADABLE)
def test_an_unreadable_location_gets_a_plain_message(client, boundaries, query):
    response = client.get("/precincts/find/", query)

    soup = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 200
    assert "Your location could not be read" in soup.find(id="finder-q-error").get_text()
    assert answer_names(response) == []


def test_addresses_and_locations_are_never_cached_nor_logged(client, boundaries, caplog, settings):
    settings.PAGE_CACHE_SECONDS = 600
    caplog.set_level(logging.DEBUG)

    responses = [find(client, "2 Test Avenue West"), at(client, INSIDE["east"])]
    htmx = find(client, "2 Test Avenue West", HX_Request="true")

    for response in [*responses, htmx]:
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
    logged = caplog.text
    assert "Test Avenue" not in logged and "-86.7" not in logged and "33.5" not in logged
    zip_answer = find(client, "35207")
    assert "no-store" not in zip_answer.get("Cache-Control", "")


def test_the_access_log_format_leaves_out_query_strings():
    import runpy

    config = runpy.run_path("gunicorn.conf.py")
    assert "%(U)s" in config["access_log_format"]
    assert "%(q)s" not in config["access_log_format"]
    assert "%(r)s" not in config["access_log_format"]


def test_a_zip_staff_assigned_to_several_precincts_names_them_all_and_asks_for_the_address(
    client, cope_content
):
    for slug in ["north", "west"]:
        ServiceAreaFactory(value="35204", precinct=Precinct.objects.get(slug=slug))

    response = find(client, "35204")

    text = " ".join(answer_of(response).get_text().split())
    assert heading(response) == "Parts of ZIP code 35204 are served by 2 precincts"
    assert answer_names(response) == ["North Precinct", "West Precinct"]
    assert "type your street address or use your location" in text


def test_a_zip_staff_marked_partly_outside_the_city_says_so(client, cope_content):
    ServiceAreaFactory(
        value="35242", precinct=Precinct.objects.get(slug="south"), partly_outside_city=True
    )

    text = " ".join(answer_of(find(client, "35242")).get_text().split())

    assert "Part of ZIP code 35242 is outside the City of Birmingham" in text


def test_a_birmingham_postal_zip_not_assigned_is_not_called_inside_the_city(client, cope_content):
    response = find(client, "35242")

    assert heading(response) == (
        "ZIP code 35242 has a Birmingham, AL postal address, but is not yet assigned to a precinct"
    )
    assert "not always inside the City of Birmingham" in answer_of(response).get_text()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Pratt City", ["West Precinct"]),
        ("pratt   CITY", ["West Precinct"]),
        ("Prätt Cíty", ["West Precinct"]),
        ("FOUNTAIN HEIGHTS", ["North Precinct"]),
        ("Woodlawn", ["East Precinct"]),
    ],
)
def test_neighborhood_names_forgive_case_spacing_and_accents(client, cope_content, typed, expected):
    assert answer_names(find(client, typed)) == expected


def test_staffs_csv_list_is_found_without_accents_and_shown_as_written(client, cope_content):
    csv = "kind,value,precinct\nneighborhood,Peña Heights,south\nneighborhood,Wylam,west\n"
    services.import_service_areas(data=csv.encode())

    assert answer_names(find(client, "pena heights")) == ["South Precinct"]
    assert answer_names(find(client, "PEÑA HEIGHTS")) == ["South Precinct"]
    page = BeautifulSoup(client.get("/precincts/south/").content, "html.parser")
    assert [li.get_text() for li in page.select("ul.neighborhoods li")] == ["Peña Heights"]
    wylam = ServiceArea.objects.get(value="wylam")
    assert wylam.confirmed  # on the BPD page's list; staff's list now confirms it


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [("Colegeville", "Collegeville"), ("Wodlawn", "Woodlawn"), ("Five Points", "Five Points West")],
)
def test_a_near_miss_suggests_the_name_on_file(client, cope_content, typo, suggestion):
    response = find(client, typo)

    answer = answer_of(response)
    assert "is not on file" in heading(response)
    links = answer.select("ul.suggestions a")
    assert [link.get_text() for link in links] == [suggestion]
    followed = client.get(links[0]["href"])
    assert answer_names(followed) == [answer_names(find(client, suggestion))[0]]


def test_a_name_far_from_every_neighborhood_suggests_nothing(client, cope_content):
    response = find(client, "Zzyzx")

    assert answer_of(response).select("ul.suggestions") == []
    assert len(answer_names(response)) == 4


@pytest.mark.parametrize("language", ["", "/es"])
def test_location_answers_are_in_both_languages(client, boundaries, language):
    response = at(client, INSIDE["north"], language)

    expected = {
        "": "Your location is in the North Precinct's area",
        "/es": "Su ubicación está en el área de la Estación de Policía Norte",
    }
    assert heading(response) == expected[language]


def test_location_query_counts_are_pinned(client, boundaries, django_assert_num_queries):
    at(client, INSIDE["north"])  # the process reads the shapes once
    # whether boundaries are loaded (for the button), the boundaries' version, the precincts
    with django_assert_num_queries(3):
        at(client, INSIDE["north"])
