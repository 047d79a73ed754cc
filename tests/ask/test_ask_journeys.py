"""Issue 30's two journeys in real Chromium, each in English and in Spanish: a church asks for
a speaker and staff schedule it as a public event; residents take the last academy seat and the
waiting list, and the one waiting is promoted when the first cancels from the email's link."""

import datetime
import re

import pytest
from factories import PASSWORD, EventFactory
from playwright.sync_api import expect

from ask.models import Registration, RegistrationState, Request
from ask.services import register
from programs.models import Program
from tests.taskqueue import run_worker

pytestmark = pytest.mark.browser

# What people see, by the language of the pages they use ("" is English, at the site's root).
SEEN = {
    "": {
        "request a speaker": "Request a speaker for your group",
        "send": "Send my request",
        "program": "Speaking Engagements",
        "one seat left": "1 of 2 seats left.",
        "register": "Register for a seat",
        "book": "Book my seat",
        "thanks": "Thank you for your request",
        "full": "Full: all 2 seats are taken.",
        "wait": "Join the waiting list",
        "waiting": "waiting list",
        "cancel": "Cancel my registration",
        "cancelled": "is cancelled",
        "promoted": "A seat is yours: Community Police Academy, class 1",
    },
    "/es": {
        "request a speaker": "Pida un orador para su grupo",
        "send": "Enviar mi solicitud",
        "program": "Charlas y Presentaciones",
        "one seat left": "Queda 1 de 2 lugares.",
        "register": "Inscríbase para tener un lugar",
        "book": "Reservar mi lugar",
        "thanks": "Gracias por su solicitud",
        "full": "Lleno: los 2 lugares están ocupados.",
        "wait": "Anotarme en la lista de espera",
        "waiting": "lista de espera",
        "cancel": "Cancelar mi inscripción",
        "cancelled": "está cancelada",
        "promoted": "Tiene un lugar: Community Police Academy, class 1",
    },
}


@pytest.mark.parametrize("lang", SEEN, ids=["english", "spanish"])
def test_a_church_requests_a_speaker_and_staff_publish_the_talk(
    live_server, page, transactional_db, cope_content, coordinator, lang
):
    seen = SEEN[lang]
    talk_day = datetime.date.today() + datetime.timedelta(days=30)
    page.goto(live_server.url + lang + "/programs/speaking-engagements/")
    page.get_by_role("link", name=seen["request a speaker"]).click()
    page.wait_for_url(f"**{lang}/programs/speaking-engagements/request/")
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
    page.get_by_role("button", name=seen["send"]).click()
    page.wait_for_url(f"**{lang}/ask/thanks/?ref=*")
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
    expect(page.locator(".messagelist")).to_contain_text("is public")
    assert Request.objects.get(reference=reference).state == "scheduled"

    page.context.clear_cookies()  # the public, not signed in
    page.goto(live_server.url + lang + "/events/")
    page.get_by_role("link", name="COPE talk: crime prevention for seniors").first.click()
    page.wait_for_load_state()  # the event's page whole, before reading what it does not say
    shown = page.locator("main").inner_text()
    assert "1530 6th Avenue North" in shown and seen["program"] in shown
    assert "Zoë" not in shown and "Baptist" not in shown and "zoe@" not in shown
    assert page.console_errors == []


@pytest.mark.parametrize("lang", SEEN, ids=["english", "spanish"])
def test_the_last_academy_seat_then_the_waiting_list_moves_up_on_a_cancel(
    live_server, page, transactional_db, cope_content, smtp, lang
):
    seen = SEEN[lang]
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

    page.goto(live_server.url + lang + "/programs/community-police-academy/")
    classes = page.locator("section", has=page.locator("#classes"))
    classes.get_by_role("link", name="Community Police Academy, class 1").click()
    expect(page.locator("#seats").locator("..")).to_contain_text(seen["one seat left"])
    page.get_by_role("link", name=seen["register"]).click()
    page.locator("#id_full_name").fill("Lucía Primera")
    page.locator("#id_email").fill("lucia@example.org")
    page.locator("#id_accept_privacy_notice").check()
    page.get_by_role("button", name=seen["book"]).click()
    page.wait_for_url(f"**{lang}/ask/thanks/?ref=*")
    assert page.get_by_role("heading", level=1).inner_text() == seen["thanks"]

    page.goto(live_server.url + lang + event.get_absolute_url())
    assert seen["full"] in page.locator("main").inner_text()
    page.get_by_role("link", name=seen["wait"]).click()
    page.locator("#id_full_name").fill("Mateo Segundo")
    page.locator("#id_email").fill("mateo@example.org")
    page.locator("#id_accept_privacy_notice").check()
    page.get_by_role("button", name=seen["wait"]).click()
    page.wait_for_url(f"**{lang}/ask/thanks/?ref=*")
    assert seen["waiting"] in page.locator("main").inner_text()
    run_worker()  # the confirmations go out

    [confirmation] = smtp.to("lucia@example.org")
    link = re.search(r"http://testserver(\S+/cancel/)", confirmation.get_content()).group(1)
    page.goto(live_server.url + link)
    page.get_by_role("button", name=seen["cancel"]).click()
    expect(page.locator(".panel")).to_contain_text(seen["cancelled"])
    run_worker()  # the promotion goes out

    states = dict(Registration.objects.values_list("email", "state"))
    assert states["lucia@example.org"] == RegistrationState.CANCELLED
    assert states["mateo@example.org"] == RegistrationState.SEATED
    subjects = [m["Subject"] for m in smtp.to("mateo@example.org")]
    assert subjects[-1] == seen["promoted"]
    assert page.console_errors == []
