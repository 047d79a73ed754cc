"""A volunteer signs up in Spanish on a phone: errors first, then success, and the confirmation
email arrives in Spanish."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_volunteer_signs_up_in_spanish_corrects_a_mistake_and_gets_a_spanish_email(
    live_server, page, transactional_db, cope_content, mailoutbox, run_tasks
):

    page.goto(live_server.url + "/es/volunteer/")
    assert page.title() == "Sea voluntario en COPE · COPE · Policía de Birmingham"

    page.get_by_label("Nombre completo", exact=True).fill("Ana Pérez")
    page.get_by_label("18 años o más").check()
    page.get_by_label("Correo electrónico", exact=True).fill("ana@example")  # a mistake
    page.get_by_label("Código postal (ZIP)").fill("35206")
    page.get_by_label("Programa de Capellanes").check()
    page.get_by_label("Fines de semana").check()
    page.get_by_label("He leído el aviso de privacidad").check()
    page.get_by_label("COPE puede comunicarse conmigo sobre el voluntariado").check()
    page.get_by_role("button", name="Enviar mi inscripción").click()

    assert page.title().startswith("Error: Sea voluntario en COPE")
    summary = page.locator(".error-summary")
    assert summary.get_by_role("heading").inner_text() == "Hay un problema"
    assert "Escriba un correo electrónico con el formato correcto" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.get_by_label("Nombre completo", exact=True).input_value() == "Ana Pérez"
    assert page.get_by_label("Programa de Capellanes").is_checked()
    summary.get_by_role("link").first.click()
    page.get_by_label("Correo electrónico", exact=True).fill("ana@example.org")
    page.get_by_role("button", name="Enviar mi inscripción").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Gracias por inscribirse"
    assert page.url.startswith(live_server.url + "/es/volunteer/thanks/")
    reference = re.search(r"V-[A-Z0-9]{6}", page.locator(".reference").inner_text()).group()
    assert [e for e in page.console_errors if "422 (Unprocessable Entity)" not in e] == []

    run_tasks()  # the queue's worker sends the confirmation
    (confirmation,) = [m for m in mailoutbox if m.to == ["ana@example.org"]]
    assert confirmation.subject == f"Recibimos su inscripción de voluntariado en COPE ({reference})"
    assert f"Su número de referencia es {reference}." in confirmation.body
    assert "Programas que eligió: Programa de Capellanes" in confirmation.body
