"""Issue 30's two journeys in real Chromium: a church asks for a speaker (in English) and staff
schedule it as a public event; residents take the last academy seat and the waiting list (in
Spanish), and the one waiting is promoted when the first cancels from the email's link."""

import datetime
import re

import pytest
from factories import PASSWORD, EventFactory

from ask.models import Registration, RegistrationState, Request
from ask.services import register
from programs.models import Program
from tests.taskqueue import run_worker

pytestmark = pytest.mark.browser


def test_a_church_requests_a_speaker_and_staff_publish_the_talk(
    live_server, page, transactional_db, cope_content, coordinator
):
    talk_day = datetime.date.today() + datetime.timedelta(days=30)
    page.goto(live_server.url + "/programs/speaking-engagements/")
    page.get_by_role("link", name="Request a speaker for your group").click()
    page.wait_for_url("**/programs/speaking-engagements/request/")
    for field, text in [
        ("#id_organization", "Sixteenth Street Baptist Church"),
        ("#id_group_kind", "A congregation"),
        ("#id_audience_size", "40"),
        ("#id_contact_name", "Zoë O'Brien"),
        ("#id_email", "zoe@example.org"),
        ("#id_first_choice", talk_day.isoformat()),
        ("#id_time_of_day", "7 pm"),
        ("#id_place", "1530 6th Avenue North"),
        ("#id_topics", "Crime prevention for our seniors."),
    ]:
        page.locator(field).fill(text)
    page.locator("#id_accept_privacy_notice").check()
    page.locator("#id_consent_to_publish").check()
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_url("**/ask/thanks/?ref=*")
    reference = re.search(r"R-[A-Z0-9]{6}", page.locator(".reference").inner_text()).group()

    page.goto(live_server.url + "/staff/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + f"/staff/ask/request/?q={reference}")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("link", name="Schedule as a public event…").click()
    page.locator("#id_title").fill("COPE talk: crime prevention for seniors")
    page.locator("#id_starts_at").fill(f"{talk_day.isoformat()}T19:00")
    page.locator("#id_ends_at").fill(f"{talk_day.isoformat()}T20:00")
    page.get_by_role("button", name="Schedule and publish").click()
    assert "is public" in page.locator(".messagelist").inner_text()
    assert Request.objects.get(reference=reference).state == "scheduled"

    page.context.clear_cookies()  # the public, not signed in
    page.goto(live_server.url + "/events/")
    page.get_by_role("link", name="COPE talk: crime prevention for seniors").first.click()
    shown = page.locator("main").inner_text()
    assert "1530 6th Avenue North" in shown and "Speaking Engagements" in shown
    assert "Zoë" not in shown and "Baptist" not in shown and "zoe@" not in shown
    assert page.console_errors == []


def test_the_last_academy_seat_then_the_waiting_list_moves_up_on_a_cancel_in_spanish(
    live_server, page, transactional_db, cope_content, smtp
):
    academy = Program.objects.get(slug="community-police-academy")
    starts = datetime.datetime.now(datetime.UTC).replace(microsecond=0) + datetime.timedelta(
        days=10
    )
    event = EventFactory(
        title="Community Police Academy, class 1",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        capacity=2,
    )
    event.programs.add(academy)
    register(
        event=event,
        full_name="Ann First",
        email="ann@example.org",
        phone="",
        accept_privacy_notice=True,
    )

    page.goto(live_server.url + "/es/programs/community-police-academy/")
    classes = page.locator("section", has=page.locator("#classes"))
    classes.get_by_role("link", name="Community Police Academy, class 1").click()
    assert "Queda 1 de 2 lugares." in page.locator("#seats").locator("..").inner_text()
    page.get_by_role("link", name="Inscríbase para tener un lugar").click()
    page.locator("#id_full_name").fill("Lucía Primera")
    page.locator("#id_email").fill("lucia@example.org")
    page.locator("#id_accept_privacy_notice").check()
    page.get_by_role("button", name="Reservar mi lugar").click()
    page.wait_for_url("**/es/ask/thanks/?ref=*")
    assert page.get_by_role("heading", level=1).inner_text() == "Gracias por su solicitud"

    page.goto(live_server.url + event.get_absolute_url().replace("/events/", "/es/events/", 1))
    assert "Lleno: los 2 lugares están ocupados." in page.locator("main").inner_text()
    page.get_by_role("link", name="Anotarme en la lista de espera").click()
    page.locator("#id_full_name").fill("Mateo Segundo")
    page.locator("#id_email").fill("mateo@example.org")
    page.locator("#id_accept_privacy_notice").check()
    page.get_by_role("button", name="Anotarme en la lista de espera").click()
    page.wait_for_url("**/es/ask/thanks/?ref=*")
    assert "lista de espera" in page.locator("main").inner_text()
    run_worker()  # the confirmations go out

    [confirmation] = smtp.to("lucia@example.org")
    link = re.search(r"http://testserver(\S+/cancel/)", confirmation.get_content()).group(1)
    page.goto(live_server.url + link)
    page.get_by_role("button", name="Cancelar mi inscripción").click()
    assert "está cancelada" in page.locator(".panel").inner_text()
    run_worker()  # the promotion goes out

    states = dict(Registration.objects.values_list("email", "state"))
    assert states["lucia@example.org"] == RegistrationState.CANCELLED
    assert states["mateo@example.org"] == RegistrationState.SEATED
    subjects = [m["Subject"] for m in smtp.to("mateo@example.org")]
    assert subjects[-1] == "Tiene un lugar: Community Police Academy, class 1"
    assert page.console_errors == []
