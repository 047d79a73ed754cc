"""Programs and the volunteer form in Spanish under /es/: the pages, the errors, the emails in the
language the volunteer used, the coordinator told which, and the seed texts in Spanish."""

import csv
import io
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from crawl import english_outside_english_blocks
from django.core.management import call_command
from django.utils import translation
from factories import ProgramFactory, VolunteerSignupFactory, signup_form

from programs.models import (
    AgeBand,
    DecisionEmail,
    Program,
    ProgramKind,
    SignupState,
    VolunteerSignup,
)
from programs.services import notify_signup
from tests.taskqueue import run_worker

pytestmark = pytest.mark.django_db

AVAILABILITY_ERROR = (
    "Elija una o más opciones: entre semana de día, entre semana por la noche o fines de semana"
)

ONLY_IN_ENGLISH = "Este texto solo está disponible en inglés."


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def text_of(response) -> str:
    return " ".join(soup_of(response).get_text().split())


def field_value(response, name) -> str:
    control = soup_of(response).find(["input", "textarea"], attrs={"name": name})
    return control.get_text() if control.name == "textarea" else control.get("value", "")


# The pages


def test_spanish_program_pages_hold_no_english_outside_english_blocks(client, cope_content):
    paths = ["/es/programs/", "/es/volunteer/", "/es/volunteer/thanks/"] + [
        f"/es/programs/{slug}/" for slug in Program.objects.values_list("slug", flat=True)
    ]

    for path in paths:
        response = client.get(path)
        soup = soup_of(response)
        assert response.status_code == 200, path
        assert soup.html["lang"] == "es"
        assert soup.title.get_text().endswith(" · COPE · Policía de Birmingham"), path
        assert english_outside_english_blocks(soup) == [], path
        assert soup.select("main [lang=en]") == [], path  # the seed texts all have Spanish


def test_the_program_list_shows_the_kinds_and_programs_in_spanish(
    client, cope_content, django_assert_num_queries
):
    with django_assert_num_queries(2):  # as in English: the Spanish texts are columns
        soup = soup_of(client.get("/es/programs/"))

    assert soup.h1.get_text() == "Programas"
    assert [h.get_text() for h in soup.select("main h2")][:4] == [
        "Orientados a la comunidad, centrados en la comunidad e impulsados por la comunidad",
        "Oportunidades de voluntariado",
        "Programas juveniles",
        "Programas educativos",
    ]
    assert "Programa de Capellanes" in [a.get_text() for a in soup.select("main h3 a")]
    assert soup.find("a", string="Programa de Capellanes")["href"] == (
        "/es/programs/chaplain-program/"
    )


def test_the_sro_page_gives_the_seed_facts_in_spanish(client, cope_content):
    response = client.get("/es/programs/school-resource-officers/")
    text = text_of(response)

    assert soup_of(response).h1.get_text() == "Oficiales de Recursos Escolares (SRO)"
    assert "comenzó en 1990 con solo cuatro oficiales y ha crecido a 15 oficiales" in text
    assert "asignados a todas las escuelas secundarias de la ciudad" in text
    assert ONLY_IN_ENGLISH not in text


def test_a_program_without_spanish_is_shown_in_english_marked_lang_en(client, cope_content):
    kind = ProgramKind.objects.get(slug="volunteer")
    program = ProgramFactory(
        kind=kind,
        slug="neighborhood-watch",
        name="Neighborhood Watch",
        summary="Watch your street with your neighbors.",
        description="Meet the officers of your precinct and learn what to look for.",
    )

    detail = soup_of(client.get("/es/programs/neighborhood-watch/"))
    listing = soup_of(client.get("/es/programs/"))

    assert detail.h1["lang"] == "en" and detail.h1.get_text() == "Neighborhood Watch"
    description = detail.find(string=lambda s: "Meet the officers" in s).find_parent(lang="en")
    assert description is not None
    assert detail.find("p", class_="only-english").get_text() == ONLY_IN_ENGLISH
    assert detail.find("p", class_="only-english").find_parent(lang="en") is None
    button = detail.find("a", class_="button")
    assert button.get_text(strip=True) == "Inscríbase en “Neighborhood Watch”"
    assert button.find("span", lang="en").get_text() == "Neighborhood Watch"
    assert listing.find("a", string="Neighborhood Watch")["lang"] == "en"
    assert listing.find("p", string="Watch your street with your neighbors.")["lang"] == "en"
    assert english_outside_english_blocks(detail) == []
    assert english_outside_english_blocks(listing) == []
    meta = detail.find("meta", attrs={"name": "description"})["content"]
    assert meta == "Neighborhood Watch"  # its English summary is not passed off as Spanish

    program.name_es, program.description_es = "Vigilancia Vecinal", "Conozca a los oficiales."
    program.save()
    detail = soup_of(client.get("/es/programs/neighborhood-watch/"))
    assert detail.h1.get_text() == "Vigilancia Vecinal" and not detail.h1.get("lang")
    assert detail.find("p", class_="only-english") is None


def test_english_program_pages_carry_no_lang_marks_or_note(client, cope_content):
    ProgramFactory(slug="neighborhood-watch", description="In English only.")

    for path in ["/programs/", "/programs/neighborhood-watch/", "/volunteer/"]:
        soup = soup_of(client.get(path))
        assert soup.select("main [lang]") == [], path
        assert ONLY_IN_ENGLISH not in soup.get_text()


# The form


def test_spanish_form_errors_are_in_spanish_and_keep_what_was_typed(client, cope_content):
    response = client.post(
        "/es/volunteer/",
        signup_form(email="ana@example", zip_code="352", full_name="Ana Pérez", availability=[]),
    )
    soup = soup_of(response)

    assert response.status_code == 422
    assert soup.title.get_text().startswith("Error: Sea voluntario en COPE")
    summary = soup.select_one(".error-summary")
    assert summary.h2.get_text() == "Hay un problema"
    assert [(a["href"], a.get_text()) for a in summary.select("a")] == [
        (
            "#id_email",
            "Escriba un correo electrónico con el formato correcto, como nombre@example.com",
        ),
        ("#id_zip_code", "Escriba un código postal (ZIP) de 5 dígitos, como 35203"),
        ("#id_availability_0", AVAILABILITY_ERROR),
    ]
    messages = [" ".join(p.get_text().split()) for p in soup.select(".error-message")]
    assert messages == [
        "Error: Escriba un correo electrónico con el formato correcto, como nombre@example.com",
        "Error: Escriba un código postal (ZIP) de 5 dígitos, como 35203",
        f"Error: {AVAILABILITY_ERROR}",
    ]
    assert field_value(response, "full_name") == "Ana Pérez"
    assert field_value(response, "email") == "ana@example"
    assert soup.find("form", method="post")["action"] == "/es/volunteer/"
    assert english_outside_english_blocks(soup) == []
    assert VolunteerSignup.objects.count() == 0


def test_every_field_message_of_an_empty_spanish_form_is_in_spanish(client, cope_content):
    response = client.post("/es/volunteer/", {"age_band": AgeBand.UNDER_18, "website": "x"})
    soup = soup_of(response)

    assert response.status_code == 422
    assert [a.get_text() for a in soup.select(".error-summary a")] == [
        "Escriba su nombre completo",
        "Escriba el nombre completo de su padre, madre o tutor",
        "Escriba el número de teléfono de su padre, madre o tutor",
        "Escriba un correo electrónico o un número de teléfono, para que podamos responderle",
        "Escriba su código postal (ZIP)",
        "Elija al menos un programa",
        AVAILABILITY_ERROR,
        "Deje este campo vacío",
        "Confirme que ha leído el aviso de privacidad",
        "Acepte que COPE se comunique con usted, para que podamos responderle",
    ]
    honeypot = soup.find(id="id_website-hint").get_text()
    assert honeypot == (
        "Este campo sirve para detectar envíos automáticos no deseados. "
        "Bórrelo para enviar su inscripción."
    )
    assert english_outside_english_blocks(soup) == []


def test_the_under_18_rule_names_the_programs_in_spanish(client, cope_content):
    ride_along = Program.objects.get(slug="ride-along-program")
    response = client.post(
        "/es/volunteer/",
        signup_form(
            age_band=AgeBand.UNDER_18,
            guardian_name="Luis Pérez",
            guardian_phone="205 555 0199",
            programs=[str(ride_along.pk)],
        ),
    )

    assert response.status_code == 422
    assert [a.get_text() for a in soup_of(response).select(".error-summary a")] == [
        "Las personas menores de 18 años solo pueden inscribirse en los programas juveniles: "
        "desmarque Programa de Acompañamiento en Patrulla"
    ]


def test_too_many_spanish_signups_get_the_429_in_spanish_with_values_kept(
    client, cope_content, settings
):
    settings.SIGNUPS_PER_HOUR = 1
    assert client.post("/es/volunteer/", signup_form()).status_code == 302

    response = client.post("/es/volunteer/", signup_form(full_name="Ana Pérez"))
    soup = soup_of(response)

    assert response.status_code == 429
    assert int(response["Retry-After"]) == 3600
    assert soup.title.get_text().startswith("Error: ")
    assert soup.find(id="limit-title").get_text() == "Demasiadas inscripciones desde esta conexión"
    assert "vuelva a intentarlo en una hora" in text_of(response)
    assert field_value(response, "full_name") == "Ana Pérez"
    assert english_outside_english_blocks(soup) == []
    assert VolunteerSignup.objects.count() == 1


def test_a_signup_records_the_language_of_the_form(client, cope_content):
    spanish = client.post("/es/volunteer/", signup_form(email="ana@example.org"))
    english = client.post("/volunteer/", signup_form(email="sam@example.org"))

    assert spanish["Location"].startswith("/es/volunteer/thanks/?ref=")
    assert english["Location"].startswith("/volunteer/thanks/?ref=")
    assert VolunteerSignup.objects.get(email="ana@example.org").language == "es"
    assert VolunteerSignup.objects.get(email="sam@example.org").language == "en"
    thanks = soup_of(client.get(spanish["Location"]))
    assert thanks.h1.get_text() == "Gracias por inscribirse"
    assert english_outside_english_blocks(thanks) == []


# The emails


def test_a_spanish_signup_gets_its_confirmation_in_spanish_and_coordinators_in_english(
    client, cope_content, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.VOLUNTEER_COORDINATOR_EMAILS = ["coordinators@example.gov"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/es/volunteer/", signup_form())
    run_worker()

    signup = VolunteerSignup.objects.get()
    confirmation, notice = mailoutbox
    assert confirmation.to == ["zoe@example.org"]
    assert confirmation.subject == (
        f"Recibimos su inscripción de voluntariado en COPE ({signup.reference})"
    )
    assert confirmation.body.startswith("Gracias por inscribirse en el voluntariado de la División")
    assert f"Su número de referencia es {signup.reference}." in confirmation.body
    assert "Programas que eligió: Programa de Capellanes" in confirmation.body
    assert "Llame a la División COPE al (205) 933-4175" in confirmation.body
    assert "Thank you" not in confirmation.body
    assert notice.subject == f"New volunteer sign-up {signup.reference}"
    assert "Programs: Chaplain Program" in notice.body
    assert "Language: Spanish" in notice.body


def test_the_confirmation_follows_the_stored_language_whenever_it_is_sent(cope_content, mailoutbox):
    """The task may run later, outside the volunteer's request: the sign-up says the language."""
    chaplain = Program.objects.filter(slug="chaplain-program")
    spanish = VolunteerSignupFactory(programs=chaplain, language="es", email="ana@example.org")
    english = VolunteerSignupFactory(programs=chaplain, language="en", email="sam@example.org")

    with translation.override("en"):
        notify_signup(signup=spanish)
    with translation.override("es"):
        notify_signup(signup=english)

    to_ana, to_sam = mailoutbox
    assert to_ana.subject.startswith("Recibimos su inscripción")
    assert "Programa de Capellanes" in to_ana.body
    assert to_sam.subject.startswith("We have your COPE volunteer sign-up")
    assert "Programs you chose: Chaplain Program" in to_sam.body


def test_the_decision_email_goes_out_in_the_volunteers_language(
    client, cope_content, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    signup = VolunteerSignupFactory(
        programs=Program.objects.filter(slug="citizens-on-patrol"),
        language="es",
        state=SignupState.CONTACTED,
    )
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/staff/programs/volunteersignup/",
            {"action": "mark_accepted_and_email", "_selected_action": [signup.pk]},
        )
    assert mailoutbox == []  # the queue's worker sends, not the request
    run_worker()

    (message,) = mailoutbox
    assert message.subject == (
        f"Su inscripción de voluntariado en COPE ({signup.reference}) fue aceptada"
    )
    assert message.body.startswith("Estimado/a Pat Lee:")
    assert "Residentes en Patrulla (COP)" in message.body


def test_a_decision_email_without_a_full_spanish_version_goes_out_in_english(
    client, cope_content, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    DecisionEmail.objects.filter(state=SignupState.ACCEPTED).update(body_es="")
    signup = VolunteerSignupFactory(
        programs=Program.objects.filter(slug="citizens-on-patrol"),
        language="es",
        state=SignupState.CONTACTED,
    )
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/staff/programs/volunteersignup/",
            {"action": "mark_accepted_and_email", "_selected_action": [signup.pk]},
        )
    assert mailoutbox == []  # the queue's worker sends, not the request
    run_worker()

    (message,) = mailoutbox
    assert message.subject.startswith("Your COPE volunteer sign-up")
    assert "Dear Pat Lee" in message.body and "Citizens on Patrol (COP)" in message.body


# The coordinator


def test_the_coordinator_sees_the_language_in_the_queue_the_sign_up_and_the_export(
    client, cope_content, coordinator
):
    signup = VolunteerSignupFactory(full_name="Ana Pérez", language="es")
    client.force_login(coordinator)

    listing = soup_of(client.get("/staff/programs/volunteersignup/"))
    change = soup_of(client.get(f"/staff/programs/volunteersignup/{signup.pk}/change/"))
    filtered = client.get("/staff/programs/volunteersignup/?language__exact=en")
    export = client.post(
        "/staff/programs/volunteersignup/",
        {"action": "export_csv", "_selected_action": [signup.pk]},
    )

    assert listing.select_one("#result_list th.column-language").get_text(strip=True) == (
        "Language"
    )
    assert listing.select_one("#result_list td.field-language").get_text() == "Spanish"
    assert change.select_one(".field-language .readonly").get_text() == "Spanish"
    assert "Ana Pérez" not in filtered.text
    header, row = csv.reader(io.StringIO(export.getvalue().decode("utf-8-sig")))
    assert header[:14] == [
        "reference",
        "state",
        "created",
        "full name",
        "email",
        "phone",
        "ZIP code",
        "age band",
        "parent or guardian",
        "parent or guardian's phone",
        "programs",
        "availability",
        "anything else",
        "coordinator notes",
    ]
    assert header[14:] == ["language"] and row[14:] == ["Spanish"]
    assert row[7] == "18 or over" and row[11] == "weekends"  # English, as before


# The seed content


def test_every_seed_text_is_loaded_with_its_spanish_translation(cope_content):
    for kind in ProgramKind.objects.all():
        for field in ["name", "introduction"]:
            assert bool(getattr(kind, f"{field}_en")) == bool(getattr(kind, f"{field}_es"))
    for program in Program.objects.all():
        for field in ["name", "summary", "description", "audience"]:
            assert bool(getattr(program, f"{field}_en")) == bool(getattr(program, f"{field}_es"))
    for email in DecisionEmail.objects.all():
        assert email.subject_es and email.body_es
        assert "{reference}" in email.subject_es
        assert all(f"{{{name}}}" in email.body_es for name in ["name", "reference", "programs"])
    chaplain = Program.objects.get(slug="chaplain-program")
    assert chaplain.name_en == "Chaplain Program" and chaplain.name_es == "Programa de Capellanes"
    assert chaplain.description_es.startswith("Un oficial juramentado es designado capellán")
    assert ProgramKind.objects.get(slug="volunteer").introduction_es.startswith(
        "Los programas de voluntariado del Departamento de Policía de Birmingham"
    )


def test_loading_again_adds_spanish_to_rows_loaded_before_it_and_keeps_staff_edits(
    cope_content,
):
    Program.objects.filter(slug="chaplain-program").update(name_es=None, description_es="")
    Program.objects.filter(slug="school-resource-officers").update(
        summary_en="Edited by staff", summary_es=None
    )
    Program.objects.filter(slug="city-jail-ministries").update(name_es="Editado por el personal")

    out = StringIO()
    call_command("load_cope_content", stdout=out)

    assert "2 Spanish texts added to existing rows" in out.getvalue()
    chaplain = Program.objects.get(slug="chaplain-program")
    assert chaplain.name_es == "Programa de Capellanes"
    assert chaplain.description_es.startswith("Un oficial juramentado")
    assert Program.objects.get(slug="school-resource-officers").summary_es is None
    assert Program.objects.get(slug="city-jail-ministries").name_es == "Editado por el personal"


# The admin


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/staff/programs/program/add/", ["name_es", "summary_es", "description_es"]),
        ("/staff/programs/programkind/add/", ["name_es", "introduction_es"]),
    ],
)
def test_staff_add_programs_and_kinds_with_their_spanish_texts(admin_client, path, fields):
    page = soup_of(admin_client.get(path))

    assert all(page.find(attrs={"name": field}) for field in fields)
    assert page.find(attrs={"name": "name_en"}) is not None


def test_staff_edit_the_spanish_texts_of_a_program_and_of_a_decision_email(
    admin_client, cope_content
):
    chaplain = Program.objects.get(slug="chaplain-program")
    email = DecisionEmail.objects.get(state=SignupState.ACCEPTED)

    program_page = soup_of(admin_client.get(f"/staff/programs/program/{chaplain.pk}/change/"))
    email_page = soup_of(admin_client.get(f"/staff/programs/decisionemail/{email.pk}/change/"))

    assert program_page.find("input", attrs={"name": "name_es"})["value"] == (
        "Programa de Capellanes"
    )
    for field in ["audience_es", "how_to_join_es", "requirements_es"]:
        assert program_page.find("textarea", attrs={"name": field}) is not None
    assert email_page.find("input", attrs={"name": "subject_es"})["value"].startswith(
        "Su inscripción de voluntariado en COPE"
    )


def test_a_program_card_without_a_summary_links_to_its_sign_up(client, cope_content):
    soup = soup_of(client.get("/es/programs/"))
    ride_along = soup.select_one("a[href='/volunteer/?program=ride-along-program']")
    spanish = soup.select_one("a[href='/es/volunteer/?program=ride-along-program']")
    pat = soup.find("a", href="/es/programs/police-athletic-teams/").find_parent("li")

    assert ride_along is None and spanish.get_text() == (
        "Inscríbase en línea: Programa de Acompañamiento en Patrulla"
    )
    assert "(recomendación 62)" in pat.get_text()
    assert "Pida a COPE los detalles" not in soup.get_text()
