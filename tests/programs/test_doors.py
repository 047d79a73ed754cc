"""Each program has one way in, which staff choose (issue 30): the volunteer form lists only
the programs people volunteer for, and what staff wrote about who can take part is shown
before the form they reach, in the page's language, and nothing when they wrote nothing."""

import pytest
from bs4 import BeautifulSoup
from factories import EventFactory

from programs.models import Door, Program

pytestmark = pytest.mark.django_db


def offered(client) -> set[str]:
    soup = BeautifulSoup(client.get("/volunteer/").content, "html.parser")
    return {box.find_next("label").get_text() for box in soup.select("input[name=programs]")}


def test_the_volunteer_form_offers_only_the_programs_people_volunteer_for(client, cope_content):
    names = offered(client)

    assert "Ride-along Program" in names
    assert "Community Police Academy" not in names  # people register for its classes
    assert "Speaking Engagements" not in names  # groups request it
    assert "Community Service Officers (CSO)" not in names  # people call their precinct
    assert set(Program.objects.filter(door=Door.VOLUNTEER).values_list("name", flat=True)) == (
        names
    )


def test_staff_change_a_program_s_door_and_its_page_and_the_form_follow(
    admin_client, client, cope_content
):
    academy = Program.objects.get(slug="community-police-academy")
    assert "/volunteer/?program=" not in client.get(academy.get_absolute_url()).text
    card = BeautifulSoup(client.get("/programs/").content, "html.parser").find(
        "a", href="/programs/community-police-academy/#classes"
    )
    assert card.get_text() == "Register for a class: Community Police Academy"

    listing = admin_client.get("/staff/programs/program/?door__exact=classes")
    page = admin_client.get(f"/staff/programs/program/{academy.pk}/change/")
    Program.objects.filter(pk=academy.pk).update(door=Door.VOLUNTEER)

    assert "Community Police Academy" in listing.text and "Chaplain" not in listing.text
    assert 'name="door"' in page.text and 'name="requirements_es"' in page.text
    assert "Community Police Academy" in offered(client)
    assert (
        "/volunteer/?program=community-police-academy"
        in client.get(academy.get_absolute_url()).text
    )


def requirements(response) -> str | None:
    """The text of the Requirements section before the form, None when there is none."""
    soup = BeautifulSoup(response.content, "html.parser")
    heading = soup.find(id="requirements")
    if heading is None:
        return None
    assert heading.find_next("form", attrs={"method": "post"}) is not None
    return heading.find_parent("section").get_text(" ", strip=True)


def test_what_staff_wrote_about_who_can_take_part_comes_before_each_form(client, cope_content):
    academy = Program.objects.get(slug="community-police-academy")
    event = EventFactory(title="Academy, spring class", capacity=20)
    event.programs.add(academy)
    forms = [f"/events/{event.slug}/register/", "/programs/speaking-engagements/request/"]

    empty = [requirements(client.get(url)) for url in forms]
    Program.objects.filter(slug__in=["community-police-academy", "speaking-engagements"]).update(
        requirements_en="18 or over, living in Birmingham.", requirements_es=""
    )
    english = [requirements(client.get(url)) for url in forms]
    spanish_missing = client.get("/es" + forms[0])
    Program.objects.filter(slug="community-police-academy").update(
        requirements_es="Mayores de 18 años que viven en Birmingham."
    )
    spanish = requirements(client.get("/es" + forms[0]))

    assert empty == [None, None]  # the portal invents none
    assert english == ["Requirements 18 or over, living in Birmingham."] * 2
    shown = BeautifulSoup(spanish_missing.content, "html.parser").find(id="requirements")
    assert shown.find_parent("section").find(lang="en").get_text(strip=True) == (
        "18 or over, living in Birmingham."
    )
    assert spanish == "Requisitos Mayores de 18 años que viven en Birmingham."
