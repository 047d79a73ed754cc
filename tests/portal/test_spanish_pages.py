"""The portal's own pages and the error pages in Spanish under /es/: every interface string
translated, the error pages too (500 and 503 without the database), English unchanged."""

from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.db import OperationalError
from django.test import Client

from tests.crawl import english_outside_english_blocks

TITLE_END = " · COPE · Policía de Birmingham"

# Sections of the home page that other apps' templates render (they are checked with them).
OTHER_APPS_SECTIONS = [
    ".home-finder",
    "section[aria-labelledby=next-events]",
    "section[aria-labelledby=plan-glance]",
]


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def text_of(soup) -> str:
    return " ".join(soup.get_text().split())


def assert_spanish(soup):
    assert soup.html["lang"] == "es"
    assert soup.title.get_text().endswith(TITLE_END)
    assert english_outside_english_blocks(soup) == []


@pytest.mark.django_db
def test_spanish_home_gives_cope_mission_vision_and_motto_in_spanish(client, cope_content):
    response = client.get("/es/")

    soup = soup_of(response)
    text = text_of(soup)
    assert response.status_code == 200
    assert soup.h1.get_text() == (
        "Encuentre su estación de la Policía de Birmingham, los programas de COPE y formas de "
        "ser voluntario"
    )
    assert "Nuestro lema: Proteger, Servir, Respetar." in text
    assert (
        "Mejorar la relación entre la comunidad y las fuerzas del orden en toda la Ciudad de "
        "Birmingham, Alabama" in text
    )
    assert "libre del temor a la victimización" in text
    assert "To enhance the relationship" not in text
    ways_in = [a["href"] for a in soup.select("section[aria-labelledby=ways-in] a")]
    assert ways_in and all(href.startswith("/es/") for href in ways_in)
    for selector in OTHER_APPS_SECTIONS:
        for section in soup.select(selector):
            section.decompose()
    assert_spanish(soup)


@pytest.mark.django_db
def test_english_home_keeps_its_english_mission(client, cope_content):
    text = text_of(soup_of(client.get("/")))

    assert "Our motto: Protect, Serve, Respect." in text
    assert "Nuestro lema" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "h1"),
    [
        ("/es/accessibility/", "Declaración de accesibilidad"),
        ("/es/privacy/", "Aviso de privacidad"),
        ("/es/glossary/", "Glosario de siglas"),
    ],
)
def test_spanish_statements_and_glossary_are_wholly_spanish(client, cope_content, path, h1):
    response = client.get(path)

    soup = soup_of(response)
    assert response.status_code == 200
    assert soup.h1.get_text() == h1
    assert_spanish(soup)


@pytest.mark.django_db
def test_spanish_privacy_notice_counts_the_days_kept(client, settings):
    settings.SIGNUP_RETENTION_DAYS = 90

    text = text_of(soup_of(client.get("/es/privacy/")))

    assert "una inscripción se borra 90 días después de cerrarse" in text
    assert "el idioma que usó" in text


@pytest.mark.django_db
def test_unknown_spanish_page_is_a_spanish_404_with_ways_back_in_spanish(client):
    response = client.get("/es/no-such-page/")

    soup = soup_of(response)
    assert response.status_code == 404
    assert soup.h1.get_text() == "No encontramos esa página"
    assert soup.title.get_text() == "Página no encontrada" + TITLE_END
    ways_back = soup.select("main ul a")
    assert ways_back and all(a["href"].startswith("/es/") for a in ways_back)
    assert 'href="tel:+12059334175"' in response.text
    assert_spanish(soup)


@pytest.mark.django_db
def test_english_404_is_unchanged(client):
    soup = soup_of(client.get("/no-such-page/"))

    assert soup.h1.get_text() == "We cannot find that page"
    assert soup.html["lang"] == "en"


def test_server_error_under_es_is_spanish_and_needs_no_database():
    """No django_db mark: the home page's first query fails, and the 500 page renders."""
    client = Client(raise_request_exception=False)

    response = client.get("/es/")

    soup = soup_of(response)
    assert response.status_code == 500
    assert soup.h1.get_text() == "Lo sentimos, algo salió mal de nuestro lado"
    assert soup.find("a", string="Ir a la página de inicio")["href"] == "/es/"
    assert "tel:+12059334175" in response.text
    assert_spanish(soup)


def test_maintenance_page_under_es_is_spanish_and_needs_no_database(client, settings):
    settings.MAINTENANCE_MODE = True

    response = client.get("/es/privacy/")

    soup = soup_of(response)
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert soup.h1.get_text() == "El portal no está disponible por un momento"
    assert_spanish(soup)


def test_database_away_under_es_gives_the_spanish_503():
    client = Client(raise_request_exception=False)
    away = mock.patch(
        "recommendations.models.RecommendationQuerySet.counts_by_status",
        side_effect=OperationalError("connection refused"),
    )

    with away:
        response = client.get("/es/")

    assert response.status_code == 503
    assert soup_of(response).h1.get_text() == "El portal no está disponible por un momento"
    assert_spanish(soup_of(response))


@pytest.mark.django_db
def test_spanish_bad_request_csrf_and_too_large_pages(client, settings):
    bad_host = client.get("/es/", headers={"host": "attacker.example"})
    csrf = Client(enforce_csrf_checks=True).post("/es/privacy/", {"x": "1"})
    too_large = client.post(
        "/es/follow/", "x", content_type="text/plain", CONTENT_LENGTH=str(10 * 1024 * 1024)
    )

    assert bad_host.status_code == 400
    assert soup_of(bad_host).h1.get_text() == "No pudimos entender esa solicitud"
    assert csrf.status_code == 403
    assert soup_of(csrf).h1.get_text() == "No se pudo enviar su formulario"
    assert too_large.status_code == 400
    assert soup_of(too_large).h1.get_text() == "Lo que envió es demasiado grande"
    for response in (bad_host, csrf, too_large):
        assert_spanish(soup_of(response))
