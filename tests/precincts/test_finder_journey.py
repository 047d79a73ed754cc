"""A resident on a phone finds their precinct, with and without JavaScript, in real Chromium."""

import json
import subprocess

import pytest
from precinct_points import INSIDE, NORTH_WEST_EDGE, OUTSIDE
from pytest_playwright_axe import OPTIONS_WCAG_22AA, Axe

from precincts.models import Precinct

pytestmark = pytest.mark.browser


def accessibility_problems(page) -> list[str]:
    result = Axe().run(
        page, options=OPTIONS_WCAG_22AA, html_report_generated=False, json_report_generated=False
    )
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return [v["id"] for v in result["violations"]] + (
        [f"scrolls sideways by {overflow}px"] if overflow > 0 else []
    )


def test_answer_appears_in_place_with_htmx_and_the_url_can_be_shared(
    live_server, page, transactional_db, cope_content
):
    page.goto(live_server.url + "/precincts/find/")

    page.get_by_label("ZIP code, neighborhood or street address").fill("35207-1234")
    page.get_by_role("button", name="Find precinct").click()

    answer = page.locator("#finder-answer")
    answer.get_by_role("heading", name="North Precinct", exact=True).wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == "Find your precinct"
    assert page.url == live_server.url + "/precincts/find/?q=35207-1234"
    assert answer.get_by_role("link", name="(205) 254-2860").get_attribute("href") == (
        "tel:+12052542860"
    )
    assert accessibility_problems(page) == []

    page.get_by_label("ZIP code, neighborhood or street address").fill("35207!")
    page.keyboard.press("Enter")

    page.locator("#finder-q-error").wait_for()
    assert "Enter a 5-digit ZIP code" in page.locator("#finder-q-error").inner_text()
    assert page.get_by_label("ZIP code, neighborhood or street address").input_value() == "35207!"
    assert page.evaluate("document.activeElement.id") == "finder-q"
    assert answer.get_by_role("heading").count() == 0
    assert accessibility_problems(page) == []
    assert page.console_errors == []


def test_in_spanish_the_answer_and_the_error_come_back_in_spanish(
    live_server, page, transactional_db, cope_content
):
    page.goto(live_server.url + "/es/precincts/find/")

    page.get_by_label("Código postal (ZIP), vecindario o dirección postal").fill("35207")
    page.get_by_role("button", name="Buscar estación").click()

    answer = page.locator("#finder-answer")
    answer.get_by_role("heading", name="Estación de Policía Norte", exact=True).wait_for()
    assert answer.get_by_role("heading", level=2).inner_text() == (
        "El código postal 35207 lo atiende la Estación de Policía Norte"
    )
    assert page.url == live_server.url + "/es/precincts/find/?q=35207"
    assert accessibility_problems(page) == []

    page.get_by_label("Código postal (ZIP), vecindario o dirección postal").fill("35207!")
    page.keyboard.press("Enter")

    page.locator("#finder-q-error").wait_for()
    assert "Escriba un código postal (ZIP) de 5 dígitos" in (
        page.locator("#finder-q-error").inner_text()
    )
    assert page.evaluate("document.documentElement.lang") == "es"
    assert accessibility_problems(page) == []
    assert page.console_errors == []


def test_the_finder_works_without_javascript(live_server, chromium, transactional_db, cope_content):
    context = chromium.new_context(
        viewport={"width": 320, "height": 640}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + "/precincts/")
        page.get_by_label("ZIP code, neighborhood or street address").fill("  ENSLEY ")
        page.get_by_role("button", name="Find precinct").click()

        assert page.url.startswith(live_server.url + "/precincts/find/?q=")
        assert page.title() == "Find your precinct · COPE · Birmingham Police"
        assert page.locator("#finder-answer h3").all_inner_texts() == ["West Precinct"]
    finally:
        context.close()


@pytest.mark.parametrize("language", ["", "/es"])
@pytest.mark.parametrize("q", ["35208", "35203", "36104", "99999", "abc", "3520"])
def test_every_answer_page_is_accessible_at_320px(
    live_server, page, transactional_db, cope_content, q, language
):
    page.goto(f"{live_server.url}{language}/precincts/find/?q={q}")

    assert accessibility_problems(page) == []
    assert page.console_errors == []


def test_every_answer_page_is_valid_html(client, cope_content, vnu, tmp_path):
    for language in ["", "/es"]:
        for q in ["35208", "35203", "36104", "99999", "abc", "3520", "a" * 10_000]:
            (tmp_path / f"answer{language[1:]}-{len(q)}-{q[:5]}.html").write_bytes(
                client.get(f"{language}/precincts/find/", {"q": q}).content
            )

    result = subprocess.run([*vnu, str(tmp_path)], capture_output=True, text=True, timeout=300)

    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert [m["message"] for m in messages if m.get("type") == "error"] == []


def test_use_my_location_on_a_phone_lands_on_the_right_precinct_page(
    live_server, chromium, transactional_db, cope_content, boundaries
):
    longitude, latitude = INSIDE["east"]
    context = chromium.new_context(
        viewport={"width": 375, "height": 740},
        geolocation={"latitude": latitude, "longitude": longitude},
        permissions=["geolocation"],
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(live_server.url + "/precincts/")
        page.get_by_role("button", name="Use my location").click()

        page.wait_for_url("**/precincts/find/?lat=*")
        answer = page.locator("#finder-answer")
        assert answer.get_by_role("heading", level=2).inner_text() == (
            "Your location is in the East Precinct's area"
        )
        assert accessibility_problems(page) == []
        answer.get_by_role("link", name="East Precinct", exact=True).click()

        page.wait_for_url("**/precincts/east/")
        assert page.get_by_role("heading", level=1).inner_text() == "East Precinct"
        assert page.get_by_role("img", name="Map of the precinct areas").is_visible()
        assert accessibility_problems(page) == []
        assert errors == []
    finally:
        context.close()


def test_a_refused_location_says_so_and_the_form_still_works(
    live_server, chromium, transactional_db, cope_content, boundaries
):
    context = chromium.new_context(viewport={"width": 320, "height": 640}, permissions=[])
    page = context.new_page()
    try:
        page.goto(live_server.url + "/es/precincts/find/")
        page.get_by_role("button", name="Usar mi ubicación").click()

        status = page.locator("#finder-locate-status")
        status.get_by_text("Su navegador no compartió su ubicación").wait_for()
        assert page.evaluate("document.activeElement.id") == "finder-q"
        assert "/precincts/find/" in page.url and "lat=" not in page.url
    finally:
        context.close()


def test_without_javascript_there_is_no_location_button(
    live_server, chromium, transactional_db, cope_content
):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/precincts/find/")
        assert not page.get_by_role("button", name="Use my location").is_visible()
        assert page.get_by_role("button", name="Find precinct").is_visible()
    finally:
        context.close()


def test_answers_by_location_and_the_mapped_precinct_pages_are_valid_html(
    client, boundaries, vnu, tmp_path
):
    Precinct.objects.filter(slug="north").update(latitude="33.58", longitude="-86.81")
    paths = (
        [f"/precincts/{slug}/" for slug in ["north", "south", "east", "west"]]
        + [
            "/precincts/find/?lat={}&lon={}".format(*reversed(point))
            for point in [INSIDE["east"], NORTH_WEST_EDGE, OUTSIDE]
        ]
        + ["/precincts/find/?q=Colegeville", "/precincts/find/?q=2+Test+Avenue+West"]
    )
    for language in ["", "/es"]:
        for index, path in enumerate(paths):
            (tmp_path / f"page{language[1:]}{index}.html").write_bytes(
                client.get(language + path).content
            )

    result = subprocess.run([*vnu, str(tmp_path)], capture_output=True, text=True, timeout=300)

    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert [m["message"] for m in messages if m.get("type") == "error"] == []


@pytest.mark.parametrize("path", ["/precincts/north/", "/es/precincts/west/"])
def test_a_mapped_precinct_page_is_accessible_at_320px(
    live_server, page, transactional_db, cope_content, boundaries, path
):
    Precinct.objects.filter(slug="north").update(latitude="33.58", longitude="-86.81")

    page.goto(live_server.url + path)

    assert page.locator("svg.outline-map").is_visible()
    assert accessibility_problems(page) == []
    assert page.console_errors == []
