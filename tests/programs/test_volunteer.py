"""The volunteer sign-up form: quick for a volunteer, forgiving of mistakes, hard to abuse."""

import re
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from factories import signup_form

from programs.models import AgeBand, Program, SignupState, VolunteerSignup
from tests.taskqueue import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def valid(cope_content):
    return signup_form()


def summary_links(response) -> list[tuple[str, str]]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [(a["href"], a.get_text(strip=True)) for a in soup.select(".error-summary a")]


def field_value(response, name) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    control = soup.find(["input", "textarea"], attrs={"name": name})
    return control.get_text() if control.name == "textarea" else control.get("value", "")


def test_program_from_the_link_is_ticked(client, cope_content):
    response = client.get("/volunteer/?program=police-athletic-teams")

    soup = BeautifulSoup(response.content, "html.parser")
    ticked = [
        box.find_next("label").get_text() for box in soup.select("input[name=programs][checked]")
    ]
    assert ticked == ["Police Athletic Teams (PAT)"]


def test_only_programs_that_take_signups_are_offered_grouped_by_kind(client, cope_content):
    soup = BeautifulSoup(client.get("/volunteer/").content, "html.parser")

    groups = [legend.get_text(strip=True) for legend in soup.select("legend.group-title")]
    assert groups == ["Volunteer opportunities", "Youth programs", "Educational programs"]
    # Speaking Engagements is requested, the Community Police Academy taken in classes.
    assert len(soup.select("input[name=programs]")) == 9


def test_requirements_staff_entered_are_shown_beside_the_program(client, cope_content):
    Program.objects.filter(slug="ride-along-program").update(requirements="18 or over.")

    assert "Requirements: 18 or over." in client.get("/volunteer/").text


def test_requirements_are_explained_once_before_the_form_not_beside_each_program(
    client, cope_content
):
    soup = BeautifulSoup(client.get("/volunteer/").content, "html.parser")

    before = soup.find(id="before-you-start").find_parent("section")
    assert before.find_next("form", attrs={"method": "post"}) is not None
    assert "COPE explains them when it contacts you" in before.get_text()
    assert soup.get_text().count("Requirements") == 1
    assert "administrative and hands-on tasks" in before.get_text()
    assert before.find("a", href="/privacy/#volunteers") is not None


def test_the_error_summary_lists_the_errors_in_the_order_of_the_fields(client, cope_content):
    response = client.post("/volunteer/", {"age_band": AgeBand.UNDER_18})

    soup = BeautifulSoup(response.content, "html.parser")
    linked = [href.removeprefix("#") for href, _ in summary_links(response)]
    on_page = [
        control["id"]
        for control in soup.select("form[method=post] [id]")
        if control["id"] in linked
    ]
    assert response.status_code == 422
    assert linked[:4] == ["id_full_name", "id_guardian_name", "id_guardian_phone", "id_email"]
    assert linked == on_page


def test_an_empty_sign_up_puts_age_second_in_the_summary(client, cope_content):
    response = client.post("/volunteer/", {})

    links = summary_links(response)
    assert [href for href, _ in links[:2]] == ["#id_full_name", "#id_age_band_0"]
    assert links[1][1] == "Say whether you are under 18 or 18 or over"


def test_a_valid_signup_is_saved_and_leads_to_thanks_with_a_reference(
    client, valid, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.VOLUNTEER_COORDINATOR_EMAILS = ["coordinators@example.gov"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/volunteer/", valid)
    assert mailoutbox == []  # the queue's worker sends, not the request
    run_worker()

    signup = VolunteerSignup.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith("/volunteer/thanks/?ref=")
    location = unquote(response["Location"]).lower()
    assert not {"zoë", "ngọc", "o'brien", "5550142", "@"} & set(re.split(r"[-?=&/ ]", location))
    assert "@" not in location and "brien" not in location
    assert signup.full_name == "Zoë Ngọc-Ånh O'Brien"
    assert signup.phone == "+12055550142"
    assert [p.slug for p in signup.programs.all()] == ["chaplain-program"]
    assert signup.weekends and not signup.weekday_daytime
    assert signup.state == SignupState.NEW and signup.is_notified

    thanks = client.get(response["Location"])
    assert signup.reference in thanks.text and "(205) 933-4175" in thanks.text

    confirmation, notice = mailoutbox
    assert confirmation.to == ["zoe@example.org"]
    assert signup.reference in confirmation.body and "Chaplain Program" in confirmation.body
    assert notice.to == ["coordinators@example.gov"]
    assert signup.reference in notice.body
    for private in ["Zoë", "zoe@example.org", "555", "35203", "Vietnamese"]:
        assert private not in notice.body and private not in notice.subject


def test_a_forged_thanks_link_shows_no_reference(client, cope_content):
    response = client.get("/volunteer/thanks/?ref=V-ABCDEF")

    assert response.status_code == 200
    assert "V-ABCDEF" not in response.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "Enter your full name"),
        ({"full_name": "   "}, "full_name", "Enter your full name"),
        ({"full_name": "x" * 201}, "full_name", "Full name must be 200 characters or fewer"),
        ({"email": "", "phone": ""}, "email", "Enter an email address or a phone number"),
        ({"email": "zoe@"}, "email", "Enter an email address in the correct format"),
        ({"phone": "555-0142"}, "phone", "Enter a US phone number with its area code"),
        ({"phone": "+44 20 7946 0958"}, "phone", "Enter a US phone number with its area code"),
        ({"zip_code": ""}, "zip_code", "Enter your ZIP code"),
        ({"zip_code": "3520"}, "zip_code", "Enter a 5-digit ZIP code"),
        ({"zip_code": "ABCDE"}, "zip_code", "Enter a 5-digit ZIP code"),
        ({"programs": []}, "programs", "Choose at least one program"),
        ({"programs": ["999999"]}, "programs", "Choose programs from the list"),
        ({"availability": []}, "availability", "Choose when you are available"),
        ({"age_band": ""}, "age_band", "Say whether you are under 18 or 18 or over"),
        ({"age_band": "under-18"}, "guardian_name", "Enter your parent or guardian's full name"),
        ({"age_band": "under-18"}, "guardian_phone", "Enter your parent or guardian's phone"),
        (
            {"age_band": "under-18", "guardian_name": "Ann", "guardian_phone": "205 555 0199"},
            "programs",
            "People under 18 can sign up for youth programs only: untick Chaplain Program",
        ),
        ({"message": "m" * 1001}, "message", "Anything else must be 1,000 characters or fewer"),
        ({"accept_privacy_notice": ""}, "accept_privacy_notice", "Confirm you have read"),
        ({"consent_to_contact": ""}, "consent_to_contact", "Agree that COPE may contact you"),
        ({"website": "http://spam.example"}, "website", "Leave this field empty"),
    ],
)
def test_bad_input_gets_422_a_summary_a_message_by_the_field_and_keeps_values(
    client, valid, changes, field, message
):
    response = client.post("/volunteer/", valid | changes)

    soup = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 422
    assert soup.title.get_text().startswith("Error: ")
    assert any(message in text for _, text in summary_links(response))
    assert any(message in p.get_text() for p in soup.select(".error-message"))
    href = next(h for h, text in summary_links(response) if message in text)
    assert soup.find(id=href[1:]) is not None  # the summary links to the field
    if field != "full_name":
        assert field_value(response, "full_name") == valid["full_name"]
    if field != "zip_code":
        assert field_value(response, "zip_code") == valid["zip_code"]
    assert VolunteerSignup.objects.count() == 0


def test_an_under_18_may_sign_up_for_youth_programs_with_a_guardian(client, valid):
    youth = Program.objects.get(slug="police-youth-advisory-council")

    response = client.post(
        "/volunteer/",
        valid
        | {
            "age_band": AgeBand.UNDER_18,
            "programs": [str(youth.pk)],
            "guardian_name": "Ann O'Brien",
            "guardian_phone": "205-555-0199",
        },
    )

    assert response.status_code == 302
    assert VolunteerSignup.objects.get().guardian_phone == "+12055550199"


def test_sixth_signup_in_an_hour_from_one_address_gets_429_with_values_kept(
    client, valid, settings
):
    settings.SIGNUPS_PER_HOUR = 5
    for _ in range(5):
        assert client.post("/volunteer/", valid).status_code == 302

    response = client.post("/volunteer/", valid)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many sign-ups from this connection" in response.text
    assert field_value(response, "full_name") == valid["full_name"]
    assert VolunteerSignup.objects.count() == 5
    other = client.post("/volunteer/", valid, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


def test_forwarded_for_header_does_not_escape_the_rate_limit(client, valid, settings):
    settings.SIGNUPS_PER_HOUR = 1
    client.post("/volunteer/", valid)

    response = client.post("/volunteer/", valid, HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert response.status_code == 429


def test_an_oversized_request_is_refused_and_nothing_saved(client, valid):
    response = client.post("/volunteer/", valid | {"message": "m" * 300_000})

    assert response.status_code == 400
    assert VolunteerSignup.objects.count() == 0


def test_no_personal_data_reaches_the_logs(client, valid, caplog):
    caplog.set_level("DEBUG")

    client.post("/volunteer/", valid)
    client.post("/volunteer/", valid | {"email": "bad@"})

    logged = caplog.text
    for private in ["Zoë", "zoe@example.org", "555", "Vietnamese", "bad@"]:
        assert private not in logged


def test_reference_numbers_are_unambiguous(client, valid):
    client.post("/volunteer/", valid)

    assert re.fullmatch(r"V-[A-HJ-NP-Z2-9]{6}", VolunteerSignup.objects.get().reference)


# Issue 14: uploads, the rate limit race, names of invisible characters.


def test_a_multipart_body_over_the_limit_is_refused_and_nothing_saved(client, valid):
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("cv.pdf", b"%PDF" + b"x" * (3 * 1024 * 1024))

    response = client.post("/volunteer/", valid | {"cv": big})  # multipart/form-data

    assert response.status_code == 400
    assert "too much to send" in response.text and "Nothing was saved" in response.text
    assert not VolunteerSignup.objects.exists()


def test_a_small_file_part_is_refused_too(client, valid):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/volunteer/", valid | {"cv": SimpleUploadedFile("cv.txt", b"hello")})

    assert response.status_code == 400 and not VolunteerSignup.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite's shared in-memory test database locks whole tables",
)
@pytest.mark.parametrize("backend", ["configured", "file", "locmem"])
@pytest.mark.django_db(transaction=True)
def test_exactly_the_allowance_of_concurrent_signups_is_accepted(
    backend, valid, settings, tmp_path
):
    import threading

    from django.db import connection
    from django.test import Client

    if backend == "file":
        settings.CACHES = settings.CACHES | {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": tmp_path / "cache",
            }
        }
    elif backend == "locmem":
        settings.CACHES = settings.CACHES | {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        }
    settings.SIGNUPS_PER_HOUR = 5
    start = threading.Barrier(12)
    statuses = []

    def sign_up():
        try:
            start.wait()
            statuses.append(Client().post("/volunteer/", valid).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(statuses) == [302] * 5 + [429] * 7
    assert VolunteerSignup.objects.count() == 5


@pytest.mark.parametrize("name", ["\u200b\u200b\u200b", "\u200b \u200c\u200d\ufeff", "\u2060"])
def test_a_name_of_only_invisible_characters_is_no_name(client, valid, name):
    response = client.post("/volunteer/", valid | {"full_name": name})

    assert response.status_code == 422
    assert "Enter your full name" in response.text
    assert not VolunteerSignup.objects.exists()


def test_a_name_without_letters_is_told_precisely_and_kept(client, valid):
    response = client.post("/volunteer/", valid | {"full_name": "12345"})

    assert response.status_code == 422
    assert ("#id_full_name", "Enter your full name in letters, not only numbers or symbols") in (
        summary_links(response)
    )
    assert field_value(response, "full_name") == "12345"
    assert not VolunteerSignup.objects.exists()


def test_an_adult_is_not_held_up_by_the_hidden_guardian_fields_nor_are_they_kept(client, valid):
    response = client.post(
        "/volunteer/",
        valid | {"age_band": AgeBand.ADULT, "guardian_name": "99", "guardian_phone": "555"},
    )

    assert response.status_code == 302
    signup = VolunteerSignup.objects.get()
    assert (signup.guardian_name, signup.guardian_phone) == ("", "")


def test_the_guardian_fields_are_grouped_for_the_stylesheet_to_reveal_for_under_18s(client):
    soup = BeautifulSoup(client.get("/volunteer/").content, "html.parser")
    group = soup.select_one(".guardian-fields")

    assert [c["name"] for c in group.select("input")] == ["guardian_name", "guardian_phone"]
    assert soup.select_one("input[name=age_band][value=under-18]") is not None


@pytest.mark.parametrize(
    ("email", "says"),
    [
        ("zoe@example.org", "We have emailed you a confirmation with your reference number."),
        ("", "You gave no email address, so no confirmation was emailed"),
    ],
)
def test_the_thanks_page_knows_whether_a_confirmation_was_emailed(
    client, valid, mailoutbox, django_capture_on_commit_callbacks, run_tasks, email, says
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/volunteer/", valid | {"email": email})
    thanks = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    steps = thanks.find("h2", string="What happens next").find_next("ol").get_text()

    assert says in steps
    assert "If you gave an email address" not in steps
    assert "COPE has not published how long a review takes." in steps
    if email:
        run_tasks()  # the queue's worker sends it
        assert "COPE has not published how long a review takes." in mailoutbox[0].body
