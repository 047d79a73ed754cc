"""Ask COPE: a group requests a speaker, neighbors request a community walk or a meeting with
their precinct's officers. Each form: good input saved and confirmed, bad input told beside the
field with everything kept, nothing half-saved; emails read as the raw bytes sent."""

import datetime
import logging
from io import StringIO
from unittest import mock

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from factories import RequestFactory, speaker_form, walk_form

from ask.models import Request, RequestKind, RequestState, RequestStateChange
from ask.services import change_request_state
from precincts.models import Precinct
from programs.models import Program
from tests.taskqueue import run_worker

pytestmark = pytest.mark.django_db

SPEAKER_URL = "/programs/speaking-engagements/request/"
# A fixed day (noon in Birmingham): the forms' dates count from it.
TODAY = datetime.datetime(2027, 3, 10, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_day():
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture
def coordinators(settings):
    settings.VOLUNTEER_COORDINATOR_EMAILS = ["coordinators@example.gov"]


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def beside(response, name) -> str:
    """The error message shown beside a field."""
    message = soup_of(response).find(id=f"id_{name}-error")
    return message.get_text(" ", strip=True).removeprefix("Error:").strip() if message else ""


def kept(response, name) -> str:
    control = soup_of(response).find(["input", "textarea"], attrs={"name": name})
    return control.get_text() if control.name == "textarea" else control.get("value", "")


def nothing_saved():
    return not Request.objects.exists() and not DBTaskResult.objects.exists()


# Request a speaker


def test_the_program_page_leads_to_the_speaker_request_not_to_the_volunteer_form(
    client, cope_content
):
    page = soup_of(client.get("/programs/speaking-engagements/"))

    buttons = {a.get_text(strip=True): a["href"] for a in page.select("main a.button")}
    assert buttons == {"Request a speaker for your group": SPEAKER_URL}
    card = soup_of(client.get("/es/programs/")).find("a", href="/es" + SPEAKER_URL)
    assert card.get_text() == "Pida un orador: Charlas y Presentaciones"
    volunteer = soup_of(client.get("/volunteer/"))
    offered = [label.get_text() for label in volunteer.select("input[name=programs] + label")]
    assert "Speaking Engagements" not in offered


def test_a_program_that_groups_do_not_request_has_no_request_form(client, cope_content):
    assert client.get("/programs/citizens-on-patrol/request/").status_code == 404
    assert client.get(SPEAKER_URL).status_code == 200
    assert client.get("/es" + SPEAKER_URL).status_code == 200


def test_a_speaker_request_is_saved_whole_and_leads_to_thanks_with_its_reference(
    client, cope_content, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SPEAKER_URL, speaker_form())

    assert response.status_code == 302
    saved = Request.objects.get()
    assert saved.kind == RequestKind.SPEAKER
    assert saved.program == Program.objects.get(slug="speaking-engagements")
    assert saved.organization == "Sixteenth Street Baptist Church"
    assert saved.contact_name == "Zoë Ngọc-Ånh O'Brien"
    assert saved.phone == "+12055550142"
    assert saved.dates == [datetime.date(2027, 4, 9), datetime.date(2027, 4, 16)]
    assert (saved.place, saved.online, saved.audience_size) == ("1530 6th Avenue North", False, 40)
    assert saved.state == RequestState.NEW and saved.language == "en"
    thanks = client.get(response["Location"])
    assert saved.reference in thanks.text
    assert "We have emailed you a confirmation" in thanks.text


def test_an_online_talk_needs_no_address_and_keeps_none(client, cope_content):
    client.post(SPEAKER_URL, speaker_form(online="on", place="not an address"))

    assert Request.objects.get().place == ""


def test_bad_speaker_request_is_told_beside_each_field_keeps_everything_and_saves_nothing(
    client, cope_content
):
    data = speaker_form(
        organization="",
        audience_size="forty",
        first_choice="2027-03-10",  # today
        second_choice="2027-03-10",
        place="",
        email="zoe@",
        phone="",
        topics="Crime prevention for our seniors.",
    )
    response = client.post(SPEAKER_URL, data)

    assert response.status_code == 422
    assert soup_of(response).title.get_text().startswith("Error: ")
    assert beside(response, "organization") == "Enter the name of your group or organization"
    assert beside(response, "audience_size") == (
        "Enter how many people you expect, as a number, like 40"
    )
    assert beside(response, "first_choice") == "Choose a date after today"
    assert beside(response, "place") == (
        "Enter the address where the talk will be, or tick “It will be online”"
    )
    assert beside(response, "email").startswith("Enter an email address in the correct format")
    summary = [a["href"] for a in soup_of(response).select(".error-summary a")]
    assert summary[:2] == ["#id_organization", "#id_audience_size"]
    assert kept(response, "audience_size") == "forty"
    assert kept(response, "email") == "zoe@"
    assert kept(response, "group_kind") == "A congregation"
    assert kept(response, "topics") == "Crime prevention for our seniors."
    assert kept(response, "second_choice") == "2027-03-10"
    assert nothing_saved()


def test_the_same_date_twice_and_a_date_a_year_off_are_refused(client, cope_content):
    response = client.post(
        SPEAKER_URL,
        speaker_form(second_choice="2027-04-09", third_choice="2028-04-09"),
    )

    assert beside(response, "second_choice") == "Choose a different date from your other choices"
    assert beside(response, "third_choice") == "Choose a date within the next 12 months"
    assert nothing_saved()


def test_a_filled_honeypot_or_a_pasted_control_character_saves_nothing(client, cope_content):
    assert client.post(SPEAKER_URL, speaker_form(website="http://spam")).status_code == 422
    response = client.post(SPEAKER_URL, speaker_form(topics="Safety\x0bfor seniors"))

    assert response.status_code == 422
    assert "invisible character" in beside(response, "topics")
    assert nothing_saved()


def test_a_request_the_database_refuses_leaves_no_row_and_no_task(client, cope_content):
    """All or nothing: a failure while saving leaves neither the request nor its email task."""
    with (
        mock.patch("ask.models.Request.full_clean", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        client.post(SPEAKER_URL, speaker_form())

    assert nothing_saved()


# Request a community walk or a meeting


def test_every_precinct_page_and_the_finders_answer_link_to_its_walk_request(client, cope_content):
    for precinct in Precinct.objects.all():
        page = soup_of(client.get(precinct.get_absolute_url()))
        assert page.find("a", href=f"/precincts/{precinct.slug}/request-walk/"), precinct.slug

    answer = soup_of(client.get("/precincts/find/", {"q": "35207"}))
    links = [a["href"] for a in answer.select("#finder-answer a[href$='/request-walk/']")]
    assert links == ["/precincts/north/request-walk/"]
    assert client.get("/precincts/nowhere/request-walk/").status_code == 404


def test_a_walk_request_goes_to_the_precincts_queue(
    client, cope_content, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/es/precincts/west/request-walk/", walk_form(kind="meeting"))

    assert response.status_code == 302 and response["Location"].startswith("/es/ask/thanks/")
    saved = Request.objects.get()
    assert saved.precinct == Precinct.objects.get(slug="west")
    assert (saved.kind, saved.place, saved.language) == ("meeting", "Pratt City", "es")
    assert saved.program is None and saved.email == "maria@example.org" and saved.phone == ""
    assert "Gracias por su solicitud" in client.get(response["Location"]).text


def test_bad_walk_request_is_told_beside_each_field_keeps_everything_and_saves_nothing(
    client, cope_content
):
    data = walk_form(kind="", place="12345", email="", phone="555", first_choice="")
    response = client.post("/precincts/west/request-walk/", data)

    assert response.status_code == 422
    assert beside(response, "kind") == "Choose a community walk or a meeting with officers"
    assert beside(response, "place") == "Enter the name of your neighborhood or street"
    assert beside(response, "phone").startswith("Enter a US phone number")
    assert beside(response, "first_choice") == "Enter the date you would like most"
    assert [a["href"] for a in soup_of(response).select(".error-summary a")][:2] == [
        "#id_kind_0",
        "#id_place",
    ]
    assert kept(response, "place") == "12345" and kept(response, "phone") == "555"
    assert kept(response, "topics") == "Speeding on Avenue U, and meeting our officers."
    assert nothing_saved()


def test_a_connection_over_its_hourly_allowance_gets_429_with_its_answers_kept(
    client, cope_content, settings
):
    settings.REQUESTS_PER_HOUR = 1
    assert client.post("/precincts/west/request-walk/", walk_form()).status_code == 302

    response = client.post(SPEAKER_URL, speaker_form())

    assert response.status_code == 429 and response["Retry-After"] == "3600"
    assert "Too many requests from this connection" in response.text
    assert kept(response, "organization") == "Sixteenth Street Baptist Church"
    assert Request.objects.count() == 1


# The emails, as sent


@pytest.mark.parametrize(
    ("url", "form", "language", "subject"),
    [
        (SPEAKER_URL, speaker_form, "en", "We have your request to COPE"),
        ("/es/precincts/west/request-walk/", walk_form, "es", "Recibimos su solicitud a COPE"),
    ],
)
def test_the_confirmation_and_the_staff_notice_as_sent(
    client, cope_content, smtp, coordinators, django_capture_on_commit_callbacks,
    url, form, language, subject,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form())
    assert smtp.raw == []  # the queue's worker sends, not the request
    run_worker()

    saved = Request.objects.get()
    assert saved.is_notified
    data = form()
    confirmation = smtp.to(data["email"])[0]
    assert confirmation["Subject"] == f"{subject} ({saved.reference})"
    assert confirmation["Content-Language"] == language
    assert confirmation["Auto-Submitted"] == "auto-generated"
    assert saved.reference in confirmation.get_content()
    [notice_raw] = [raw for raw in smtp.raw if b"coordinators@example.gov" in raw]
    notice = smtp.to("coordinators@example.gov")[0]
    assert saved.reference in notice["Subject"]
    assert saved.reference in notice.get_content()
    assert f"/staff/ask/request/{saved.pk}/change/" in notice.get_content()
    personal = [data["contact_name"], data["email"], data["place"], data["topics"]]
    # the phone as typed and as stored (digits this long never turn up by chance in a
    # Message-ID or a date, as "555" alone once did)
    personal += [data.get("organization", ""), data.get("phone", ""), "5550142"]
    for value in filter(None, personal):
        for encoding in (value.encode(), value.encode("utf-8").hex().encode()):
            assert encoding not in notice_raw, value


def test_smtp_down_keeps_the_request_logs_no_personal_data_and_the_retry_sends(
    client, cope_content, smtp, coordinators, settings, caplog,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    working = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "use_tls": False, "timeout": 1},
        }
    }
    with caplog.at_level(logging.DEBUG):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(SPEAKER_URL, speaker_form())
        run_worker()

    saved = Request.objects.get()
    assert not saved.is_notified and saved.notification_attempts == 1
    assert saved.reference in caplog.text
    for value in ["zoe@example.org", "O'Brien", "Sixteenth", "0142", "6th Avenue"]:
        assert value not in caplog.text
    settings.MAILERS = working
    out = StringIO()
    call_command("send_request_notifications", stdout=out)
    assert "1 requests notified, 0 still waiting" in out.getvalue()
    assert len(smtp.raw) == 2


# The staff queue


def test_coordinators_work_the_queue_and_editors_see_no_request(
    client, cope_content, coordinator, editor
):
    west = Precinct.objects.get(slug="west")
    walk = RequestFactory(precinct=west, contact_name="Private Person", email="p@example.org")
    RequestFactory(precinct=Precinct.objects.get(slug="north"), contact_name="Another Person")

    client.force_login(coordinator)
    queue = client.get(f"/staff/ask/request/?precinct__id__exact={west.pk}")
    assert queue.status_code == 200
    assert walk.reference in queue.text and "Another" not in queue.text
    assert "Private Person" in client.get(f"/staff/ask/request/{walk.pk}/change/").text
    client.post(
        "/staff/ask/request/",
        {"action": "mark_contacted", "_selected_action": [walk.pk]},
    )
    walk.refresh_from_db()
    assert walk.state == RequestState.CONTACTED
    assert RequestStateChange.objects.get().changed_by == coordinator

    client.force_login(editor)
    for url in ["/staff/ask/request/", f"/staff/ask/request/{walk.pk}/change/"]:
        response = client.get(url)
        assert response.status_code == 403 and b"Private Person" not in response.content
    assert b"Private Person" not in client.get("/staff/").content


def test_a_request_moves_only_forward_and_closes_once(coordinator):
    walk = RequestFactory()
    with pytest.raises(ValueError, match="cannot become Done"):
        change_request_state(request=walk, state=RequestState.DONE, by=coordinator)
    for state in [RequestState.CONTACTED, RequestState.SCHEDULED, RequestState.DONE]:
        walk = change_request_state(request=walk, state=state, by=coordinator)
    with pytest.raises(ValueError, match="cannot become Declined"):
        change_request_state(request=walk, state=RequestState.DECLINED, by=coordinator)


def test_the_purge_deletes_what_sign_ups_would_and_keeps_the_rest(settings):
    days = settings.SIGNUP_RETENTION_DAYS
    long_ago = timezone.now() - datetime.timedelta(days=days + 1)
    with time_machine.travel(long_ago, tick=False):
        old_new = RequestFactory()
        old_done = RequestFactory(state=RequestState.DONE, state_changed_at=timezone.now())
        old_scheduled = RequestFactory(state=RequestState.SCHEDULED)
    recent_done = RequestFactory(state=RequestState.DONE, state_changed_at=timezone.now())
    RequestStateChange.objects.create(
        request=old_done, from_state=RequestState.SCHEDULED, to_state=RequestState.DONE
    )

    out = StringIO()
    call_command("purge_requests", stdout=out)

    assert f"2 requests and 0 class registrations older than {days} days" in out.getvalue()
    assert set(Request.objects.all()) == {old_scheduled, recent_done}
    assert not Request.objects.filter(pk__in=[old_new.pk, old_done.pk]).exists()
    assert not RequestStateChange.objects.exists()


def test_staff_schedule_a_consented_talk_as_a_public_event_in_one_step(
    client, cope_content, coordinator
):
    with_consent = speaker_form(consent_to_publish="on")
    client.post(SPEAKER_URL, with_consent)
    talk = Request.objects.get()
    assert talk.consented_to_publish
    client.force_login(coordinator)

    change = client.get(f"/staff/ask/request/{talk.pk}/change/")
    assert "Schedule as a public event" in change.text
    response = client.post(
        f"/staff/ask/request/{talk.pk}/schedule/",
        {"title": "COPE speaker", "starts_at": "2027-04-09T19:00", "ends_at": "2027-04-09T20:00"},
    )

    assert response.status_code == 302
    talk.refresh_from_db()
    assert talk.state == RequestState.SCHEDULED and talk.event is not None
    client.logout()
    page = client.get(talk.event.get_absolute_url())
    assert page.status_code == 200 and "1530 6th Avenue North" in page.text
    for personal in ["Sixteenth", "O&#x27;Brien", "zoe@example.org", "0142"]:
        assert personal not in page.text
    assert talk.event.slug in client.get("/programs/speaking-engagements/").text


def test_a_request_without_consent_to_publish_cannot_become_an_event(
    client, cope_content, coordinator
):
    walk = RequestFactory()
    client.force_login(coordinator)

    assert "did not agree to publishing" in client.get(f"/staff/ask/request/{walk.pk}/change/").text
    response = client.post(
        f"/staff/ask/request/{walk.pk}/schedule/",
        {"title": "Walk", "starts_at": "2027-04-09T19:00", "ends_at": "2027-04-09T20:00"},
    )

    assert "did not agree to publishing" in response.text
    walk.refresh_from_db()
    assert walk.event is None and walk.state == RequestState.NEW


def test_the_decision_email_goes_in_the_requesters_language_from_the_staff_template(
    client, cope_content, coordinator, smtp, django_capture_on_commit_callbacks
):
    from ask.models import RequestDecisionEmail

    RequestDecisionEmail.objects.create(
        state=RequestState.DECLINED,
        subject_en="Your request {reference}",
        subject_es="Su solicitud {reference}",
        body_en="Dear {name}, we cannot do it.",
        body_es="Estimada {name}: no podemos hacerla.",
    )
    walk = RequestFactory(language="es", contact_name="María", email="maria@example.org")
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/staff/ask/request/",
            {"action": "mark_declined_and_email", "_selected_action": [walk.pk]},
        )
    assert smtp.raw == []  # the worker sends it, not the admin's request
    run_worker()

    [message] = smtp.to("maria@example.org")
    assert message["Subject"] == f"Su solicitud {walk.reference}"
    assert message["Content-Language"] == "es"
    assert message.get_content().strip() == "Estimada María: no podemos hacerla."
    walk.refresh_from_db()
    assert walk.state == RequestState.DECLINED


def test_staff_preview_each_decision_email_as_the_requester_would_get_it_sending_nothing(
    client, cope_content, coordinator
):
    from ask.models import RequestDecisionEmail

    walk = RequestFactory(language="es", contact_name="María <b>", email="maria@example.org")
    client.force_login(coordinator)
    before = soup_of(client.get(f"/staff/ask/request/{walk.pk}/change/"))
    template = RequestDecisionEmail.objects.create(
        state=RequestState.SCHEDULED,
        subject_en="Your walk {reference}",
        body_en="Dear {name},\n\nSee you there: {event}",
    )
    english_only = soup_of(client.get(f"/staff/ask/request/{walk.pk}/change/"))
    RequestDecisionEmail.objects.filter(pk=template.pk).update(
        subject_es="Su caminata {reference}", body_es="Estimada {name}:\n\nNos vemos: {event}"
    )
    spanish = soup_of(client.get(f"/staff/ask/request/{walk.pk}/change/"))
    examples = soup_of(client.get(f"/staff/ask/requestdecisionemail/{template.pk}/change/"))

    assert "No decision email is written yet" in before.get_text()
    preview = english_only.select_one(".email-preview")  # no full translation: in English
    assert preview["lang"] == "en" and f"Subject: Your walk {walk.reference}" in preview.text
    assert "Dear María <b>," in preview.text  # as typed, escaped
    preview = spanish.select_one(".email-preview")
    assert preview["lang"] == "es" and "Estimada María <b>:" in preview.text
    assert "Nos vemos: [the public event's address, once" in preview.text
    assert [p["lang"] for p in examples.select(".email-preview")] == ["en", "es"]
    assert "Su caminata R-EXAMPLE" in examples.get_text()
    assert DBTaskResult.objects.count() == 0  # a preview sends nothing


def test_a_request_does_not_invalidate_any_cached_page(
    client, cope_content, settings, django_capture_on_commit_callbacks
):
    from portal.pagecache import generation

    settings.PAGE_CACHE_SECONDS = 600
    generation()  # the cache was emptied: this process learns the new generation first
    client.get("/programs/")
    before = generation()

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/precincts/west/request-walk/", walk_form()).status_code == 302

    assert generation() == before
    assert client.get("/programs/")["X-Cache"] == "hit"
