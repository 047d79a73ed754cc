"""The precinct pages and the finder in Spanish under /es/: the interface, the seed names, and
staff texts without a Spanish version shown in English, marked lang="en"."""

from io import StringIO

import pytest
from bs4 import BeautifulSoup
from crawl import english_outside_english_blocks
from django.core.management import call_command
from factories import PrecinctFactory

from precincts.models import Precinct

pytestmark = pytest.mark.django_db

EXPECTED = (
    "Escriba un código postal (ZIP) de 5 dígitos, como 35207, el nombre de un vecindario, "
    "como Ensley, o una dirección postal, como 2600 31st Avenue North."
)
SPANISH_NAMES = {
    "north": "Estación de Policía Norte",
    "south": "Estación de Policía Sur",
    "east": "Estación de Policía Este",
    "west": "Estación de Policía Oeste",
}


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def english_in_our_parts(response) -> list[str]:
    """English outside lang="en" blocks, leaving out the follow box and the programs section,
    which the follow and programs apps translate (the crawl test checks whole pages)."""
    soup = soup_of(response)
    for other in soup.select(".follow-box, section[aria-labelledby='programs']"):
        other.decompose()
    return english_outside_english_blocks(soup)


def find(client, q, **headers):
    return client.get("/es/precincts/find/", {"q": q}, headers=headers)


def test_seed_precincts_have_their_spanish_names(cope_content):
    names = {p.slug: (p.name_en, p.name_es) for p in Precinct.objects.all()}

    assert names == {
        "north": ("North Precinct", "Estación de Policía Norte"),
        "south": ("South Precinct", "Estación de Policía Sur"),
        "east": ("East Precinct", "Estación de Policía Este"),
        "west": ("West Precinct", "Estación de Policía Oeste"),
    }


def test_loading_again_adds_the_spanish_name_but_never_over_staff_text(cope_content):
    Precinct.objects.filter(slug="north").update(name_es=None)
    Precinct.objects.filter(slug="south").update(name_es=None, name_en="South Side Precinct")
    Precinct.objects.filter(slug="east").update(name_es="Estación del Este")

    call_command("load_cope_content", stdout=StringIO())

    names = dict(Precinct.objects.values_list("slug", "name_es"))
    assert names["north"] == "Estación de Policía Norte"  # added: loaded before the Spanish existed
    assert names["south"] is None  # the English changed: the seed's Spanish no longer fits
    assert names["east"] == "Estación del Este"  # staff's own Spanish stays


def test_list_is_in_spanish_with_the_spanish_names(client, cope_content):
    response = client.get("/es/precincts/")
    soup = soup_of(response)

    assert response.status_code == 200
    assert soup.html["lang"] == "es"
    assert soup.title.get_text() == "Estaciones de policía · COPE · Policía de Birmingham"
    assert [h3.get_text(strip=True) for h3 in soup.select("main li.precinct h3")] == list(
        SPANISH_NAMES.values()
    )
    assert [h3.a["href"] for h3 in soup.select("main li.precinct h3")] == [
        f"/es/precincts/{slug}/" for slug in SPANISH_NAMES
    ]
    assert soup.select_one("form.finder")["action"] == "/es/precincts/find/"
    assert english_in_our_parts(response) == []


def test_english_list_keeps_the_english_names(client, cope_content):
    soup = soup_of(client.get("/precincts/"))

    assert [h3.get_text(strip=True) for h3 in soup.select("main li.precinct h3")] == [
        "North Precinct",
        "South Precinct",
        "East Precinct",
        "West Precinct",
    ]


def test_precinct_page_in_spanish_links_the_one_contact_card(client, cope_content):
    response = client.get("/es/precincts/north/")
    soup = soup_of(response)

    assert response.status_code == 200
    assert soup.h1.get_text() == "Estación de Policía Norte" and not soup.h1.has_attr("lang")
    assert soup.title.get_text() == "Estación de Policía Norte · COPE · Policía de Birmingham"
    assert soup.find("meta", attrs={"name": "description"})["content"] == (
        "Estación de Policía Norte, Policía de Birmingham: 2600 31st Avenue North, Birmingham, "
        "AL 35207, teléfono (205) 254-2860."
    )
    assert soup.select_one("a[download]")["href"] == "/precincts/north.vcf"
    assert "Llame al" in soup.select_one("li.call").get_text()
    structured = '"name": "Estación de Policía Norte, Departamento de Policía de Birmingham"'
    assert structured in response.text
    assert english_in_our_parts(response) == []


def test_staff_texts_without_spanish_are_shown_in_english_marked_so(client, cope_content):
    PrecinctFactory(
        slug="downtown",
        name="Downtown Precinct",
        hours="Monday to Friday, 8 AM to 5 PM.\n\nClosed on the holidays of the city.",
        commander="Captain Jane Doe",
        email="downtown@example.gov",
    )

    response = client.get("/es/precincts/downtown/")
    soup = soup_of(response)

    assert soup.h1["lang"] == "en"
    hours = soup.find(id="hours").parent
    assert hours.h2.get_text() == "Horario de atención"
    assert hours.select_one(".only-english").get_text() == (
        "Este texto solo está disponible en inglés."
    )
    assert hours.select_one("div[lang='en']").get_text().startswith("Monday to Friday")
    assert soup.find(id="commander").find_next_sibling("p")["lang"] == "en"
    assert english_in_our_parts(response) == []


def test_staff_texts_with_spanish_are_shown_in_spanish(client, cope_content):
    PrecinctFactory(
        slug="downtown",
        name="Downtown Precinct",
        name_es="Estación de Policía Centro",
        hours="Monday to Friday.",
        hours_es="De lunes a viernes.",
    )

    soup = soup_of(client.get("/es/precincts/downtown/"))

    assert soup.h1.get_text() == "Estación de Policía Centro" and not soup.h1.has_attr("lang")
    assert "De lunes a viernes." in soup.find(id="hours").parent.get_text()
    assert soup.select(".only-english") == []


@pytest.mark.parametrize(
    ("q", "heading"),
    [
        ("35207", "El código postal 35207 lo atiende la Estación de Policía Norte"),
        ("Ensley", "“Ensley” lo atiende la Estación de Policía Oeste"),
        (
            "35203",
            "El código postal 35203 tiene dirección postal de Birmingham, AL, pero todavía no está "
            "asignado a una estación de policía",
        ),
        ("36104", "El código postal 36104 está en Montgomery, AL"),
        ("99999", "No existe el código postal 99999"),
        ("Avondale", "“Avondale” no está registrado"),
    ],
)
def test_every_finder_answer_is_in_spanish(client, cope_content, q, heading):
    response = find(client, q)
    answer = soup_of(response).find(id="finder-answer")

    assert response.status_code == 200
    assert answer.h2.get_text() == heading
    assert english_in_our_parts(response) == []


def test_finder_error_is_in_spanish_and_keeps_what_was_typed(client, cope_content):
    response = find(client, "35207abc")
    soup = soup_of(response)

    assert response.status_code == 200
    assert soup.title.get_text() == (
        "Error: Encuentre su estación de policía · COPE · Policía de Birmingham"
    )
    assert soup.select_one(".error-summary h2").get_text() == "Hay un problema"
    assert soup.select_one(".error-summary a[href='#finder-q']").get_text() == EXPECTED
    assert EXPECTED in soup.select_one("#finder-q-error").get_text()
    assert soup.find("input", id="finder-q")["value"] == "35207abc"
    assert english_in_our_parts(response) == []


def test_an_empty_query_gets_the_same_spanish_message(client, cope_content):
    soup = soup_of(find(client, ""))

    assert soup.select_one(".error-summary a").get_text() == EXPECTED


def test_htmx_answer_and_field_come_back_in_spanish(client, cope_content):
    partial = find(client, "35208", HX_Request="true")
    soup = soup_of(partial)

    assert "<html" not in partial.text
    assert partial["Content-Language"] == "es"
    assert soup.h2.get_text() == "El código postal 35208 lo atiende la Estación de Policía Oeste"
    assert soup.select_one("li.precinct h3 a")["href"] == "/es/precincts/west/"
    field = soup.find(id="finder-field")
    assert field["data-hx-swap-oob"] == "true"
    assert field.label.get_text() == "Código postal (ZIP), vecindario o dirección postal"
    assert english_outside_english_blocks(soup) == []


def test_htmx_error_comes_back_in_spanish(client, cope_content):
    soup = soup_of(find(client, "no!", HX_Request="true"))

    field = soup.find(id="finder-field")
    assert EXPECTED in field.get_text()
    assert field.find("input")["value"] == "no!"
    assert english_outside_english_blocks(soup) == []


def test_home_finder_is_in_spanish(client, cope_content):
    soup = soup_of(client.get("/es/"))
    finder = soup.select_one("section.home-finder")

    assert finder.h2.get_text() == "Encuentre su estación de policía"
    assert finder.select_one("form.finder")["action"] == "/es/precincts/find/"
    assert english_outside_english_blocks(finder) == []
