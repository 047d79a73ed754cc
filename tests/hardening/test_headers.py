"""Family 1: every kind of response carries the security headers; the CSP allows no inline code."""

from unittest import mock

import pytest
from crawl import missing_security_headers
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client

from programs.models import AgeBand, Program

pytestmark = pytest.mark.django_db


def signup(client):
    chaplain = Program.objects.get(slug="chaplain-program")
    return client.post(
        "/volunteer/",
        {
            "full_name": "A B",
            "email": "a@example.org",
            "zip_code": "35203",
            "programs": [chaplain.pk],
            "availability": ["weekends"],
            "age_band": AgeBand.ADULT,
            "accept_privacy_notice": "on",
            "consent_to_contact": "on",
        },
    )


RESPONSES = {
    "page": lambda c: c.get("/"),
    "htmx partial": lambda c: c.get(
        "/safety-plan/?status=in-progress", headers={"hx-request": "1"}
    ),
    "form re-shown (422)": lambda c: c.post("/volunteer/", {}),
    "404": lambda c: c.get("/no-such-page/"),
    "400 (foreign host)": lambda c: c.get("/", headers={"host": "evil.example"}),
    "static file": lambda c: c.get(staticfiles_storage.url("css/site.css")),
    "admin login": lambda c: c.get("/staff/login/"),
    "Atom feed": lambda c: c.get("/safety-plan/feed/"),
    "CSV": lambda c: c.get("/safety-plan/recommendations.csv"),
    "JSON": lambda c: c.get("/safety-plan/recommendations.json"),
    "vCard": lambda c: c.get("/precincts/north.vcf"),
    "finder partial": lambda c: c.get("/precincts/find/?q=35207", headers={"hx-request": "1"}),
    "health check": lambda c: c.get("/healthz"),
    "robots.txt": lambda c: c.get("/robots.txt"),
    "redirect": lambda c: c.get("/favicon.ico"),
}


@pytest.mark.parametrize("kind", RESPONSES)
def test_every_response_type_carries_the_security_headers(client, cope_content, kind):
    response = RESPONSES[kind](client)

    assert response.status_code < 500
    assert missing_security_headers(response) == []


def test_the_429_of_the_rate_limit_carries_them(client, cope_content, settings):
    settings.SIGNUPS_PER_HOUR = 1
    signup(client)

    response = signup(client)

    assert response.status_code == 429
    assert missing_security_headers(response) == []


def test_a_500_carries_them_and_shows_no_trace(cope_content):
    client = Client(raise_request_exception=False)

    with mock.patch("portal.views.render", side_effect=RuntimeError("secret detail")):
        response = client.get("/accessibility/")

    assert response.status_code == 500
    assert missing_security_headers(response) == []
    assert b"secret detail" not in response.content and b"Traceback" not in response.content


def test_the_csp_has_no_unsafe_inline_or_eval_and_pages_no_inline_code(client, cope_content):
    from bs4 import BeautifulSoup
    from crawl import crawl

    site = crawl(client)
    for url, response in site.pages.items():
        policy = response["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        soup = BeautifulSoup(response.content, "html.parser")
        inline = [
            s
            for s in soup.find_all("script")
            if not s.get("src") and s.get("type") != "application/ld+json"
        ]
        handlers = [
            t.name
            for t in soup.find_all(True)
            if any(a.startswith("on") for a in t.attrs) or t.has_attr("style")
        ]
        assert (url, inline, handlers) == (url, [], [])
