"""Program pages: the list grouped by kind, one page each, nothing invented."""

import pytest
from bs4 import BeautifulSoup
from factories import ProgramFactory, SiteSettingsFactory

from programs.models import Program, ProgramKind

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def test_list_groups_every_published_program_by_kind(client, cope_content):
    soup = BeautifulSoup(client.get("/programs/").content, "html.parser")

    headings = [h.get_text() for h in soup.select("main h2")]
    assert headings[:4] == [
        "Community Oriented, Community Focused, and Community Driven",
        "Volunteer opportunities",
        "Youth programs",
        "Educational programs",
    ]
    assert len(soup.select("main h3 a")) == 15


def test_sro_page_carries_the_seed_facts(client, cope_content):
    text = text_of(client.get("/programs/school-resource-officers/"))

    assert "began in 1990 with only four officers and has grown to 15 Officers" in text
    assert "assigned to all city high schools" in text
    assert "Community Oriented, Community Focused, and Community Driven" in text


def test_a_program_the_seed_only_names_shows_no_made_up_description(client, cope_content):
    response = client.get("/programs/citizens-on-patrol/")
    text = text_of(response)

    assert response.status_code == 200
    assert "COPE has not yet published a description of this program online" in text
    assert "Citizens on Patrol (COP) is one of COPE's volunteer opportunities." in text
    assert "(205) 933-4175" in text


def test_cpo_and_cso_pages_say_to_call_your_neighborhood_precinct(client, cope_content):
    for slug in ["crime-prevention-officers", "community-service-officers"]:
        text = text_of(client.get(f"/programs/{slug}/"))
        assert "call your neighborhood precinct" in text


def test_unpublished_program_is_a_404_for_the_public(client, cope_content):
    Program.objects.filter(slug="chaplain-program").update(is_published=False)

    response = client.get("/programs/chaplain-program/")

    assert response.status_code == 404
    assert "Chaplain Program" not in client.get("/programs/").text


def test_unknown_program_is_the_helpful_404(client, cope_content):
    response = client.get("/programs/no-such-program/")

    assert response.status_code == 404
    assert "We cannot find that page" in response.text


def test_staff_text_is_shown_as_plain_paragraphs(client, cope_content):
    Program.objects.filter(slug="city-jail-ministries").update(
        description='<script>alert("x")</script>\n\nSecond paragraph'
    )

    response = client.get("/programs/city-jail-ministries/")

    assert "&lt;script&gt;" in response.text  # shown as typed (escaping: hardening family 3)
    assert "<p>Second paragraph</p>" in response.text


def test_list_runs_the_same_queries_whatever_the_number_of_programs(
    client, cope_content, django_assert_num_queries
):
    with django_assert_num_queries(2):
        client.get("/programs/")
    kind = ProgramKind.objects.get(slug="youth")
    ProgramFactory.create_batch(20, kind=kind, order=10)
    with django_assert_num_queries(2):
        response = client.get("/programs/")
    assert len(BeautifulSoup(response.content, "html.parser").select("main h3 a")) == 35


def test_home_offers_the_four_kinds_as_ways_to_get_involved(client, cope_content):
    soup = BeautifulSoup(client.get("/").content, "html.parser")

    section = soup.find(id="get-involved").parent
    links = [a["href"] for a in section.select("h3 a")]
    assert links == [
        "/programs/#community-policing-units",
        "/programs/#volunteer",
        "/programs/#youth",
        "/programs/#educational",
    ]


def test_cope_email_appears_only_once_staff_enter_it(client, cope_content):
    assert "mailto:" not in client.get("/programs/chaplain-program/").text

    SiteSettingsFactory(email="cope@example.gov")

    assert 'href="mailto:cope@example.gov"' in client.get("/programs/chaplain-program/").text
