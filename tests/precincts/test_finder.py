"""The precinct finder: a ZIP code or a neighborhood in, the precinct(s) out; never an error."""

import pytest
from bs4 import BeautifulSoup
from factories import ServiceAreaFactory

from precincts.models import Precinct, ServiceArea

pytestmark = pytest.mark.django_db

EXPECTED = (
    "Enter a 5-digit ZIP code, like 35207, a neighborhood name, like Ensley, or a street "
    "address, like 2600 31st Avenue North."
)


def find(client, q, **headers):
    return client.get("/precincts/find/", {"q": q}, headers=headers)


def answer_names(response) -> list[str]:
    """The precincts in the answer: in the page's answer region, or the whole htmx fragment."""
    soup = BeautifulSoup(response.content, "html.parser")
    region = soup.find(id="finder-answer") or soup
    return [h3.get_text(strip=True) for h3 in region.select("li.precinct h3")]


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def title_of(response) -> str:
    return BeautifulSoup(response.content, "html.parser").title.get_text()


def typed_value(response) -> str:
    return BeautifulSoup(response.content, "html.parser").find("input", id="finder-q")["value"]


def test_a_precincts_own_zip_finds_it(client, cope_content):
    response = find(client, "35207")

    assert response.status_code == 200
    assert answer_names(response) == ["North Precinct"]
    assert 'href="tel:+12052542860"' in response.text
    assert title_of(response) == "Find your precinct · COPE · Birmingham Police"


def test_zip_plus_four_is_read_as_its_zip(client, cope_content):
    assert answer_names(find(client, "35207-1234")) == ["North Precinct"]
    assert answer_names(find(client, "352071234")) == ["North Precinct"]


def test_neighborhood_forgives_case_and_spacing(client, cope_content):
    response = find(client, " ensley ")

    assert answer_names(response) == ["West Precinct"]
    assert typed_value(response) == " ensley "
    assert answer_names(find(client, "ENSLEY")) == ["West Precinct"]


def test_a_zip_staff_assigned_names_its_precinct(client, cope_content):
    response = find(client, "35207")

    assert "ZIP code 35207 is served by the North Precinct" in text_of(response)
    assert answer_names(response) == ["North Precinct"]


def test_a_birmingham_zip_not_yet_assigned_says_so_with_all_four_and_copes_phone(
    client, cope_content
):
    response = find(client, "35203")

    text = text_of(response)
    assert response.status_code == 200
    assert (
        "ZIP code 35203 has a Birmingham, AL postal address, but is not yet assigned to a precinct"
        in text
    )
    assert "a Birmingham postal address is not always inside the City of Birmingham" in text
    assert answer_names(response) == [
        "North Precinct",
        "South Precinct",
        "East Precinct",
        "West Precinct",
    ]
    assert 'href="tel:+12059334175"' in response.text.split('id="finder-answer"')[1]


def test_a_zip_elsewhere_names_its_place_and_says_it_is_outside_the_city(client, cope_content):
    response = find(client, "36104")

    text = text_of(response)
    assert "ZIP code 36104 is in Montgomery, AL" in text
    assert "outside the City of Birmingham" in text
    assert "Call your local police department" in text
    answer = BeautifulSoup(response.content, "html.parser").find(id="finder-answer")
    assert answer.find("a", href="tel:911") is not None
    assert answer_names(response) == []


def test_five_digits_that_are_no_zip_code_say_so(client, cope_content):
    response = find(client, "99999")

    assert response.status_code == 200
    assert "There is no ZIP code 99999" in text_of(response)
    assert answer_names(response) == []


def test_the_finder_never_names_a_precinct_staff_did_not_assign(client, cope_content):
    """35203 is downtown Birmingham, but no service area covers it: no precinct is claimed."""
    response = find(client, "35203")

    assert "is served by" not in text_of(response)
    assert ServiceArea.objects.filter(value="35203").count() == 0


def test_a_name_not_on_file_is_answered_like_a_zip_not_on_file(client, cope_content):
    response = find(client, "abc")

    assert "“abc” is not on file" in text_of(response)
    assert len(answer_names(response)) == 4
    assert typed_value(response) == "abc"


@pytest.mark.parametrize("typed", ["", "   ", "3520", "35207abc", "!!!", "٣٥٢٠٧", "35207\n35208"])
def test_input_that_is_not_a_zip_or_a_name_says_what_is_expected_and_keeps_it(
    client, cope_content, typed
):
    response = find(client, typed)
    soup = BeautifulSoup(response.content, "html.parser")

    assert response.status_code == 200
    assert title_of(response) == "Error: Find your precinct · COPE · Birmingham Police"
    assert soup.select_one(".error-summary a[href='#finder-q']").get_text() == EXPECTED
    assert EXPECTED in soup.select_one("#finder-q-error").get_text()
    assert soup.find("input", id="finder-q")["aria-invalid"] == "true"
    assert typed_value(response) == typed
    assert answer_names(response) == []


def test_a_ten_thousand_character_query_gets_the_same_plain_message(client, cope_content):
    typed = "a" * 10_000

    response = find(client, typed)

    assert response.status_code == 200
    assert EXPECTED in text_of(response)
    assert typed_value(response) == typed
    assert answer_names(response) == []


def test_a_nul_character_gets_the_plain_message_not_an_error(client, cope_content):
    response = find(client, "abc\x00def")

    assert response.status_code == 200
    assert EXPECTED in text_of(response)
    assert typed_value(response) == "abcdef"


def test_a_zip_served_by_two_precincts_lists_both(client, cope_content):
    for slug in ["south", "west"]:
        ServiceAreaFactory(value="35211", precinct=Precinct.objects.get(slug=slug))

    response = find(client, "35211")

    assert answer_names(response) == ["South Precinct", "West Precinct"]
    assert "Parts of ZIP code 35211 are served by 2 precincts" in text_of(response)


def test_without_a_query_the_page_asks_the_question_without_an_error(client, cope_content):
    response = client.get("/precincts/find/")

    assert response.status_code == 200
    assert "There is a problem" not in response.text
    assert answer_names(response) == []


def test_htmx_gets_just_the_answer_and_the_field_from_the_same_url(client, cope_content):
    full = find(client, "35208")
    partial = find(client, "35208", HX_Request="true")

    assert "<html" in full.text and "<html" not in partial.text
    assert answer_names(partial) == ["West Precinct"]
    assert "HX-Request" in partial["Vary"] and "HX-Request" in full["Vary"]
    field = BeautifulSoup(partial.content, "html.parser").find(id="finder-field")
    assert field["data-hx-swap-oob"] == "true"


def test_htmx_error_updates_the_field_with_the_message_and_the_typed_text(client, cope_content):
    partial = find(client, "no!", HX_Request="true")

    field = BeautifulSoup(partial.content, "html.parser").find(id="finder-field")
    assert EXPECTED in field.get_text()
    assert field.find("input")["value"] == "no!"


def test_htmx_history_restore_gets_the_whole_page(client, cope_content):
    response = find(client, "35208", HX_Request="true", HX_History_Restore_Request="true")

    assert "<html" in response.text


def test_the_form_works_without_javascript(client, cope_content):
    soup = BeautifulSoup(client.get("/precincts/").content, "html.parser")

    form = soup.select_one("form.finder")
    assert form["method"] == "get" and form["action"] == "/precincts/find/"
    assert form.find("button", type="submit") is not None
    assert form["data-hx-get"] == "/precincts/find/"


@pytest.mark.parametrize("language", ["", "/es"])
@pytest.mark.parametrize(
    ("q", "queries"),
    # whether boundaries are loaded (for "Use my location"), then the answer's own: a name not
    # on file is the lookup, the names for "did you mean", all the precincts
    [("35207", 2), ("35203", 3), ("36104", 2), ("99999", 2), ("abc", 4), ("", 1)],
)
def test_finder_query_counts_are_pinned(
    client, cope_content, django_assert_num_queries, q, queries, language
):
    with django_assert_num_queries(queries):
        client.get(f"{language}/precincts/find/", {"q": q})
