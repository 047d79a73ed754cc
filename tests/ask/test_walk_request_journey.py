"""A resident asks her precinct for a community walk, in Spanish, with the keyboard alone."""

import datetime
import re

import pytest
from test_keyboard import tab_until

from ask.models import Request
from tests.precincts.test_finder_journey import accessibility_problems

pytestmark = pytest.mark.browser


def test_a_walk_request_by_keyboard_alone_corrects_a_mistake_and_reaches_thanks(
    live_server, page, transactional_db, cope_content
):
    when = datetime.date.today() + datetime.timedelta(days=20)
    page.goto(live_server.url + "/es/precincts/west/")

    tab_until(page, lambda el: el["text"] == "Pida una caminata comunitaria o una reunión")
    page.keyboard.press("Enter")
    page.wait_for_url("**/es/precincts/west/request-walk/")
    assert accessibility_problems(page) == []

    tab_until(page, lambda el: el["id"] == "id_kind_0")
    page.keyboard.press("Space")
    for field, text in [
        ("id_place", "Pratt City"),
        ("id_contact_name", "María José Núñez"),
        ("id_email", "maria@"),  # a mistake
        ("id_first_choice", when.strftime("%m%d%Y")),
        ("id_topics", "El tráfico en la avenida U."),
    ]:
        tab_until(page, lambda el, field=field: el["id"] == field)
        page.keyboard.type(text)
    tab_until(page, lambda el: el["id"] == "id_accept_privacy_notice")
    page.keyboard.press("Space")
    tab_until(page, lambda el: el["text"] == "Enviar mi solicitud")
    page.keyboard.press("Enter")

    page.locator(".error-summary").wait_for()  # (no wait_for_function: the CSP forbids eval)
    assert page.title().startswith("Error: ")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.locator("#id_topics").input_value() == "El tráfico en la avenida U."
    assert page.locator("#id_first_choice").input_value() == when.isoformat()
    assert accessibility_problems(page) == []
    tab_until(page, lambda el: el["id"] == "id_email")
    page.keyboard.press("Control+A")
    page.keyboard.type("maria@example.org")
    tab_until(page, lambda el: el["id"] == "id_accept_privacy_notice")
    if not page.locator("#id_accept_privacy_notice").is_checked():
        page.keyboard.press("Space")
    tab_until(page, lambda el: el["text"] == "Enviar mi solicitud")
    page.keyboard.press("Enter")

    page.wait_for_url("**/es/ask/thanks/?ref=*")
    assert page.get_by_role("heading", level=1).inner_text() == "Gracias por su solicitud"
    reference = re.search(r"R-[A-Z0-9]{6}", page.locator(".reference").inner_text()).group()
    saved = Request.objects.get(reference=reference)
    assert (saved.kind, saved.precinct.slug, saved.first_choice) == ("walk", "west", when)
    assert [e for e in page.console_errors if "422 (Unprocessable Entity)" not in e] == []
