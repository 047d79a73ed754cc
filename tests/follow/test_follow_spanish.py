"""Following by email in Spanish: the form, its errors and its limit in Spanish, the language
kept with the address, and every email in that language with links to the pages in it."""

import re
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.core import signing
from django.core.management import call_command

from follow.models import Follower, FollowRequest, Frequency, Subscription, Topic
from follow.services import CONFIRM_SALT, confirm_follow
from recommendations.models import Recommendation, Status
from recommendations.services import record_status_update
from tests.crawl import english_outside_english_blocks
from tests.taskqueue import run_worker, tell_followers

pytestmark = pytest.mark.django_db

TITLE_END = " · COPE · Policía de Birmingham"


@pytest.fixture
def post_follow(client, django_capture_on_commit_callbacks):
    def post(path="/es/follow/", **fields):
        data = {"topic": "recommendation", "recommendation": "38", "frequency": "each"}
        data |= fields
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(path, data)
        run_worker()
        return response

    return post


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def assert_spanish(soup):
    assert soup.html["lang"] == "es"
    assert soup.title.get_text().endswith(TITLE_END)
    assert english_outside_english_blocks(soup) == []


def follow(email="res@example.org", **followed) -> Subscription:
    """A confirmed subscription, through the services (as the confirmation link makes it)."""
    followed = {"topic": Topic.RECOMMENDATION, "frequency": Frequency.EACH} | followed
    if followed["topic"] == Topic.RECOMMENDATION and "recommendation" not in followed:
        followed["recommendation"] = Recommendation.objects.get(number=38)
    return confirm_follow(request=FollowRequest.objects.create(email=email, **followed))


def post_update(capture, number=38, status=Status.IN_PROGRESS, note="Under way."):
    with capture(execute=True):
        update = record_status_update(
            recommendation=Recommendation.objects.get(number=number), status=status, note=note
        )
    tell_followers()
    return update


def spanish_follower(**followed):
    subscription = follow(**followed)
    Follower.objects.filter(pk=subscription.follower_id).update(language="es")
    subscription.follower.refresh_from_db()
    return subscription


def test_spanish_form_errors_are_spanish_beside_the_field_and_in_the_summary(
    cope_content, post_follow, mailoutbox
):
    response = post_follow(email="no es una dirección", recommendation="99")

    soup = soup_of(response)
    assert response.status_code == 422
    assert soup.title.get_text() == "Error: Reciba avisos por correo electrónico" + TITLE_END
    assert soup.select_one(".error-summary h2").get_text() == "Hay un problema"
    message = "Escriba un correo electrónico con el formato correcto, como nombre@example.com"
    assert response.content.decode().count(message) == 2
    assert response.content.decode().count("Elija un número de recomendación del 1 al 82") == 2
    assert soup.find("input", id="id_email")["value"] == "no es una dirección"
    assert_spanish(soup)
    assert mailoutbox == [] and not FollowRequest.objects.exists()


def test_the_spanish_form_marks_the_plans_english_titles(cope_content, client):
    soup = soup_of(client.get("/es/follow/?topic=recommendation&recommendation=38"))

    options = soup.select("#id_recommendation option[value]")
    titled = {option["value"]: option for option in options if option["value"]}
    missing = [titled.pop(str(number)) for number in range(24, 38)]  # no text in the source
    assert titled and all(option["lang"] == "en" for option in titled.values())
    assert [option.get_text() for option in missing[:2]] == ["Recomendación 24", "Recomendación 25"]
    assert not any(option.has_attr("lang") for option in missing)
    assert soup.select_one("#id_recommendation option[selected]")["value"] == "38"
    assert_spanish(soup)


def test_the_limit_page_is_spanish_and_keeps_the_answers(
    cope_content, post_follow, mailoutbox, settings
):
    settings.FOLLOW_REQUESTS_PER_HOUR = 1
    post_follow(email="primera@example.org")

    limited = post_follow(email="otra@example.org")

    soup = soup_of(limited)
    assert limited.status_code == 429 and limited["Retry-After"] == "3600"
    assert (
        soup.select_one("#limit-title").get_text() == "Demasiadas solicitudes desde esta conexión"
    )
    assert soup.find("input", id="id_email")["value"] == "otra@example.org"
    assert_spanish(soup)
    assert len(mailoutbox) == 1


ENGLISH_NOTE = "se muestran en inglés, tal como los publicó la ciudad"


def test_a_spanish_request_keeps_its_language_and_its_email_is_spanish(
    cope_content, client, post_follow, mailoutbox
):
    response = post_follow(email="vecina@example.org", frequency="weekly")

    assert response["Location"] == "/es/follow/sent/"
    assert FollowRequest.objects.get().language == "es"
    (message,) = mailoutbox
    assert message.subject == (
        "Confirme los correos electrónicos sobre la recomendación 38 del plan de seguridad pública"
    )
    assert message.extra_headers["Content-Language"] == "es"
    assert (
        "enviarle avisos por correo electrónico sobre la recomendación 38 del plan de seguridad "
        "pública (un resumen semanal)"
    ) in " ".join(message.body.split())
    assert "en un plazo de 7 días" in message.body
    link = re.search(r"http://\S+(/es/follow/confirm/\S+/)", message.body).group(1)

    page = client.get(link)
    assert_spanish(soup_of(page))
    confirmed = client.post(link)
    follower = Follower.objects.get()
    assert follower.language == "es"
    assert confirmed["Location"] == f"/es/follow/manage/{follower.token}/?confirmed=1"
    manage = soup_of(client.get(confirmed["Location"]))
    assert "La recomendación 38 del plan de seguridad pública: un resumen semanal." in (
        " ".join(manage.main.get_text().split())
    )
    assert_spanish(manage)


def test_an_english_request_stays_english(cope_content, post_follow, mailoutbox):
    post_follow(path="/follow/", email="res@example.org")

    (message,) = mailoutbox
    assert FollowRequest.objects.get().language == "en"
    assert message.subject == "Confirm your emails about safety plan recommendation 38"
    assert message.extra_headers["Content-Language"] == "en"
    assert "/follow/confirm/" in message.body and "/es/" not in message.body
    assert (
        "We received a request to email you about safety plan recommendation 38 (an email for "
        "each change)"
    ) in " ".join(message.body.split())


def test_each_follower_hears_of_a_change_in_their_own_language(
    cope_content, django_capture_on_commit_callbacks, mailoutbox, settings
):
    spanish = spanish_follower(email="es@example.org")
    follow(email="en@example.org")

    post_update(django_capture_on_commit_callbacks, status=Status.IN_PROGRESS, note="En marcha.")

    by_address = {message.to[0]: message for message in mailoutbox}
    english, spanish_email = by_address["en@example.org"], by_address["es@example.org"]
    assert english.subject == "Safety plan recommendation 38: In progress"
    assert "/es/" not in english.body
    assert spanish_email.subject.startswith("Recomendación 38 del plan de seguridad pública: ")
    assert "Recibe este correo porque pidió un correo electrónico por cada cambio" in (
        spanish_email.body
    )
    assert f"{settings.SITE_URL}/es/safety-plan/38/" in spanish_email.body
    said_once = " ".join(spanish_email.body.split()).count(ENGLISH_NOTE)
    assert said_once == 1, "the Spanish notice says once that the plan's words stay English"
    assert "as the city published them" not in english.body
    unsubscribe = f"{settings.SITE_URL}/es/follow/unsubscribe/{spanish.token}/"
    assert spanish_email.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert f"/es/follow/manage/{spanish.follower.token}/" in spanish_email.body


def test_the_weekly_digest_is_in_the_followers_language(
    cope_content, django_capture_on_commit_callbacks, mailoutbox
):
    spanish_follower(email="es@example.org", topic=Topic.PLAN, frequency=Frequency.WEEKLY)
    follow(email="en@example.org", topic=Topic.PLAN, frequency=Frequency.WEEKLY)
    post_update(django_capture_on_commit_callbacks, number=5, status=Status.IN_PLANNING)
    post_update(django_capture_on_commit_callbacks, number=6, status=Status.IN_PROGRESS)

    call_command("send_follow_digests", stdout=StringIO())

    by_address = {message.to[0]: message for message in mailoutbox}
    assert by_address["en@example.org"].subject == (
        "This week at COPE: 2 update(s) on the city's public-safety plan"
    )
    spanish = by_address["es@example.org"]
    assert spanish.subject == (
        "Esta semana en COPE: 2 novedades sobre el plan de seguridad pública de la ciudad"
    )
    assert "El estado de la recomendación 5 del plan de seguridad pública" in spanish.body
    assert "/es/safety-plan/6/" in spanish.body
    assert " ".join(spanish.body.split()).count(ENGLISH_NOTE) == 1


def test_the_latest_confirmed_request_sets_the_language(cope_content):
    subscription = follow(email="res@example.org")
    assert subscription.follower.language == "en"

    again = FollowRequest.objects.create(email="res@example.org", topic=Topic.PLAN, language="es")

    confirm_follow(request=again)

    assert Follower.objects.get(email="res@example.org").language == "es"


def test_the_spanish_follow_pages_are_spanish(cope_content, client):
    subscription = follow()
    pending = FollowRequest.objects.create(email="x@example.org", topic=Topic.PLAN, language="es")
    token = signing.dumps(pending.token, salt=CONFIRM_SALT)

    pages = {
        "/es/follow/": 200,
        "/es/follow/sent/": 200,
        f"/es/follow/confirm/{token}/": 200,
        f"/es/follow/confirm/x{token}/": 404,
        f"/es/follow/manage/{subscription.follower.token}/": 200,
        f"/es/follow/unsubscribe/{subscription.token}/": 200,
    }
    for path, status in pages.items():
        response = client.get(path)
        assert response.status_code == status, path
        assert_spanish(soup_of(response))

    stopped = client.post(f"/es/follow/unsubscribe/{subscription.token}/")
    assert "No recibirá más correos sobre la recomendación 38" in stopped.content.decode()
    assert_spanish(soup_of(stopped))


def test_the_follow_box_on_spanish_pages_is_spanish_and_posts_to_the_spanish_form(
    cope_content, client
):
    for path, heading in [
        ("/es/safety-plan/38/", "Reciba avisos de esta recomendación por correo electrónico"),
        ("/es/safety-plan/", "Reciba avisos del plan de seguridad pública por correo electrónico"),
        ("/es/events/", "Reciba avisos de los nuevos eventos por correo electrónico"),
        (
            "/es/precincts/north/",
            "Reciba avisos de los eventos de esta estación de policía por correo electrónico",
        ),
    ]:
        box = soup_of(client.get(path)).select_one("section.follow-box")
        assert box.h2.get_text() == heading, path
        assert box.form["action"] == "/es/follow/", path
        assert english_outside_english_blocks(box) == [], path
    english = soup_of(client.get("/safety-plan/38/")).select_one("section.follow-box")
    assert english.h2.get_text() == "Follow this recommendation by email"
    assert english.form["action"] == "/follow/"


def test_superusers_see_each_followers_language(cope_content, client):
    spanish_follower(email="es@example.org")
    client.force_login(User.objects.create_superuser("root", password="a long passphrase 42"))

    page = client.get("/staff/follow/follower/")

    row = soup_of(page).find("a", string="es@example.org").find_parent("tr")
    assert "Español" in row.get_text()
    assert client.get("/staff/follow/follower/?language__exact=es").status_code == 200
