"""Family 1: every kind of response carries the security headers; the CSP allows no inline code.

The one place the headers are tested: the app folders test what their pages say, not these.
"""

from unittest import mock

import pytest
from crawl import missing_security_headers
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
from factories import signup_form

pytestmark = pytest.mark.django_db


def signup(client):
    return client.post("/volunteer/", signup_form())


RESPONSES = {
    "page": lambda c: c.get("/"),
    "htmx partial": lambda c: c.get(
        "/safety-plan/?status=in-progress", headers={"hx-request": "1"}
    ),
    "form re-shown (422)": lambda c: c.post("/volunteer/", {}),
    "404": lambda c: c.get("/no-such-page/"),
    "400 (foreign host)": lambda c: c.get("/", headers={"host": "evil.example"}),
    "static file": lambda c: c.get(staticfiles_storage.url("css/site.css")),
    "static file, compressed": lambda c: c.get(
        staticfiles_storage.url("css/site.css"), headers={"accept-encoding": "gzip"}
    ),
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
        assert "script-src 'self'" in policy
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


def test_static_files_have_hashed_names_and_are_cached_for_a_year_compressed(client):
    url = staticfiles_storage.url("css/site.css")
    assert url.startswith("/static/css/site.") and url != "/static/css/site.css"

    response = client.get(url, headers={"accept-encoding": "gzip"})

    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    assert response.get("Content-Encoding") == "gzip"


def test_hsts_and_secure_cookies_only_with_https(settings, client):
    assert "Strict-Transport-Security" not in client.get("/")

    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    secure = Client().get("/", secure=True)

    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")
    assert Client().get("/").status_code == 301  # plain HTTP is sent to HTTPS


def test_proxy_header_is_not_trusted_unless_configured(client):
    response = client.get("/", headers={"x-forwarded-proto": "https"})

    assert response.wsgi_request.is_secure() is False
