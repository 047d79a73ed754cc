"""The site frame, the home page, the statements and the error pages."""

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory

from portal import errors

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def test_home_shows_mission_vision_motto_and_cope_phone(client, cope_content):
    response = client.get("/")

    text = text_of(response)
    assert response.status_code == 200
    assert "To enhance the relationship between citizens and law enforcement" in text
    assert "free from the fear of victimization" in text
    assert "Protect, Serve, Respect" in text
    assert "Community Oriented, Community Focused, and Community Driven" in text
    assert 'href="tel:+12059334175"' in response.text
    assert "(205) 933-4175" in text


def test_home_has_one_h1_and_names_each_program_group_once(client, cope_content):
    soup = BeautifulSoup(client.get("/").content, "html.parser")

    assert len(soup.find_all("h1")) == 1
    assert "Community Outreach and Public Education" not in soup.h1.get_text()
    text = " ".join(soup.main.get_text().split())
    for group in ["Volunteer opportunities", "Youth programs", "Educational programs"]:
        assert text.count(group) == 1
    assert "Community policing units" not in text


def test_home_cards_are_one_link_each_and_no_link_holds_another(client, cope_content):
    soup = BeautifulSoup(client.get("/").content, "html.parser")

    cards = soup.select("main .card.linked")
    assert len(cards) >= 8
    assert all(len(card.find_all("a")) == 1 for card in cards)
    assert soup.select("a a") == []


def test_the_navigation_folds_into_a_menu_that_needs_no_javascript(client):
    soup = BeautifulSoup(client.get("/").content, "html.parser")

    menu = soup.select_one("header details.nav-menu")
    assert menu.summary.get_text(strip=True) == "Menu"
    assert menu.select_one('nav[aria-label="Main"] a[href="/volunteer/"]') is not None


def test_htmx_loads_only_on_the_pages_that_use_it(client, cope_content):
    def loads_htmx(url):
        return "htmx" in str(BeautifulSoup(client.get(url).content, "html.parser").head)

    assert loads_htmx("/precincts/find/?q=35207")
    assert loads_htmx("/safety-plan/")
    for url in ["/", "/programs/", "/precincts/", "/volunteer/", "/events/", "/privacy/"]:
        assert not loads_htmx(url), url


def test_every_phone_link_is_one_that_never_wraps(client, cope_content):
    soup = BeautifulSoup(client.get("/").content, "html.parser")

    phone_links = soup.select('a[href^="tel:+"]')
    assert phone_links
    assert all("tel" in a["class"] for a in phone_links)


def test_pages_are_titled_for_cope(client):
    response = client.get("/accessibility/")

    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.title.get_text() == "Accessibility statement · COPE · Birmingham Police"
    assert soup.html["lang"] == "en"


def test_nav_marks_the_current_page(client):
    soup = BeautifulSoup(client.get("/").content, "html.parser")

    current = soup.select('nav[aria-label="Main"] a[aria-current="page"]')
    assert [a.get_text() for a in current] == ["Home"]


def test_privacy_notice_says_no_tracking_and_names_the_only_cookies(client):
    text = text_of(client.get("/privacy/"))

    assert "There is no tracking" in text
    assert "csrftoken" in text and "sessionid" in text


def test_unknown_page_is_a_helpful_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "We cannot find that page" in response.text
    assert 'href="tel:+12059334175"' in response.text
    assert 'href="/"' in response.text


def test_foreign_host_header_gets_400_without_a_trace(client):
    response = client.get("/", headers={"host": "attacker.example"})

    assert response.status_code == 400
    assert "Traceback" not in response.text
    assert "We could not understand that request" in response.text


@pytest.mark.parametrize("path", ["/" + "a" * 5000, "/%ff%fe/", "/programs/%c0%af"])
def test_overlong_or_non_utf8_paths_are_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "Traceback" not in response.text


def test_server_error_page_renders_without_the_database():
    """pytest-django blocks the database here: any query would fail the test."""
    request = RequestFactory().get("/")

    response = errors.server_error(request)

    assert response.status_code == 500
    assert b"Sorry, something went wrong" in response.content
    assert b"tel:+12059334175" in response.content


def test_maintenance_mode_answers_503_with_retry_after(client, settings):
    settings.MAINTENANCE_MODE = True

    response = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert "briefly unavailable" in response.text


def test_csrf_failure_explains_and_offers_a_way_back(settings):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)

    response = csrf_client.post("/privacy/", {"x": "1"})

    assert response.status_code == 403
    assert "Your form could not be sent" in response.text


def test_favicon_and_robots_are_served(client):
    assert client.get("/favicon.ico").status_code == 301
    robots = client.get("/robots.txt")
    assert robots.status_code == 200
    assert "Disallow: /staff/" in robots.text
