"""The precinct list and pages: seed facts, call and directions links, nothing made up."""

import json
from datetime import date

import pytest
from bs4 import BeautifulSoup
from factories import PrecinctFactory

from precincts.models import Precinct
from programs.models import Program

pytestmark = pytest.mark.django_db

PHONES = {
    "north": ("+12052542860", "(205) 254-2860"),
    "south": ("+12052542793", "(205) 254-2793"),
    "east": ("+12052542685", "(205) 254-2685"),
    "west": ("+12052542682", "(205) 254-2682"),
}


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def text_of(response) -> str:
    return " ".join(soup_of(response).get_text().split())


def test_list_shows_the_four_with_address_e164_call_link_and_directions(client, cope_content):
    response = client.get("/precincts/")
    soup = soup_of(response)

    cards = soup.select("main li.precinct")
    assert [card.h3.get_text(strip=True) for card in cards] == [
        "North Precinct",
        "South Precinct",
        "East Precinct",
        "West Precinct",
    ]
    assert [card.select_one('a[href^="tel:"]')["href"] for card in cards] == [
        f"tel:{e164}" for e164, _ in PHONES.values()
    ]
    assert [card.select_one('a[href^="tel:"]').get_text() for card in cards] == [
        shown for _, shown in PHONES.values()
    ]
    assert "2600 31st Avenue North Birmingham, AL 35207" in text_of(response)
    assert "2236 47th Street Ensley Birmingham, AL 35208" in text_of(response)
    directions = cards[2].select_one('a[href*="google.com/maps"]')
    assert directions["href"] == (
        "https://www.google.com/maps/dir/?api=1"
        "&destination=600+Red+Lane+Road%2C+Birmingham%2C+AL+35206"
    )
    geo = cards[2].select_one('a[href^="geo:"]')
    assert geo["href"] == "geo:0,0?q=600%20Red%20Lane%20Road%2C%20Birmingham%2C%20AL%2035206"
    assert [card.h3.a["href"] for card in cards] == [f"/precincts/{slug}/" for slug in PHONES]


@pytest.mark.parametrize("language", ["", "/es"])
def test_list_runs_two_queries_whatever_the_number_of_precincts(
    client, cope_content, django_assert_num_queries, language
):
    # the boundaries (for the map and "Use my location"), the precincts
    with django_assert_num_queries(2):
        client.get(f"{language}/precincts/")
    PrecinctFactory.create_batch(10)
    with django_assert_num_queries(2):
        response = client.get(f"{language}/precincts/")
    assert len(soup_of(response).select("main li.precinct")) == 14


@pytest.mark.parametrize("language", ["", "/es"])
def test_precinct_page_runs_five_queries(client, cope_content, django_assert_num_queries, language):
    # the precinct, its programs, its upcoming events, its neighborhoods, the boundaries
    with django_assert_num_queries(5):
        client.get(f"{language}/precincts/north/")
    with django_assert_num_queries(1):
        client.get("/precincts/north.vcf")


def test_precinct_page_leaves_out_what_staff_have_not_added(client, cope_content):
    response = client.get("/precincts/west/")
    text = text_of(response)

    assert response.status_code == 200
    assert soup_of(response).h1.get_text() == "West Precinct"
    assert 'href="tel:+12052542682"' in response.text
    assert "Commander" not in text and "mailto:" not in text
    assert "checked" not in text.lower()


def test_hours_and_crime_prevention_officer_not_entered_say_so_with_copes_phone(
    client, cope_content
):
    response = client.get("/precincts/west/")
    soup = soup_of(response)

    hours = " ".join(soup.find(id="hours").parent.get_text().split())
    officer = " ".join(soup.find(id="cpo").parent.get_text().split())
    assert "Not published yet. Call the COPE Division at (205) 933-4175" in hours
    assert "Contact details not published yet" in officer
    assert soup.find(id="cpo").parent.find("a", href="tel:+12059334175") is not None


def test_precinct_page_shows_what_staff_added(client, cope_content):
    Precinct.objects.filter(slug="north").update(
        hours="Monday to Friday, staff-confirmed",
        email="north@example.gov",
        commander="Captain Example",
        contact_checked_on=date(2025, 3, 5),
    )

    text = text_of(client.get("/precincts/north/"))

    assert "Opening hours Monday to Friday, staff-confirmed" in text
    assert "Commander Captain Example" in text
    assert "north@example.gov" in text
    assert "Last checked by COPE staff on March 5, 2025." in text


def test_precinct_page_links_the_programs_reached_through_precincts(client, cope_content):
    soup = soup_of(client.get("/precincts/south/"))

    links = [a["href"] for a in soup.select("#programs ~ ul a")]
    expected = Program.objects.published().filter(contact_by_precinct=True)
    assert links == [program.get_absolute_url() for program in expected]
    assert "/programs/crime-prevention-officers/" in links
    assert "/programs/community-service-officers/" in links


def test_precinct_page_describes_itself_as_a_schema_org_police_station(client, cope_content):
    soup = soup_of(client.get("/precincts/north/"))

    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "PoliceStation"
    assert data["telephone"] == "+12052542860"
    assert data["address"]["streetAddress"] == "2600 31st Avenue North"
    assert data["address"]["postalCode"] == "35207"
    assert data["url"] == "http://testserver/precincts/north/"
    assert "geo" not in data and "email" not in data


def test_staff_text_cannot_break_out_of_the_json_ld_block(client, cope_content):
    Precinct.objects.filter(slug="north").update(name="North</script><script>alert(1)</script>")

    response = client.get("/precincts/north/")

    assert "</script><script>alert(1)" not in response.text
    block = soup_of(response).find("script", type="application/ld+json").string
    assert json.loads(block)["name"].startswith("North</script>")


def test_directions_point_at_the_building_once_staff_add_coordinates(client, cope_content):
    Precinct.objects.filter(slug="east").update(latitude="33.551234", longitude="-86.751234")

    soup = soup_of(client.get("/precincts/east/"))

    directions = soup.select_one('main a[href*="google.com/maps"]')
    assert directions["href"] == (
        "https://www.google.com/maps/dir/?api=1&destination=33.551234%2C-86.751234"
    )
    assert soup.select_one('main a[href^="geo:"]')["href"].startswith(
        "geo:33.551234,-86.751234?q=33.551234,-86.751234("
    )


def test_unknown_precinct_is_the_helpful_404(client, cope_content):
    assert client.get("/precincts/central/").status_code == 404
    assert client.get("/precincts/central.vcf").status_code == 404


def test_home_and_program_pages_lead_to_the_precincts(client, cope_content):
    home = soup_of(client.get("/"))
    cpo = soup_of(client.get("/programs/crime-prevention-officers/"))

    assert home.find("a", string="Find your precinct")["href"] == "/precincts/"
    assert home.select_one('form[action="/precincts/find/"] input[name="q"]') is not None
    assert cpo.find("a", href="/precincts/") is not None
