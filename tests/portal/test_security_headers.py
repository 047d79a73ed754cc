"""Security headers on every kind of response: pages, errors and static files."""

import pytest
from crawl import missing_security_headers
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_page_carries_every_security_header(client):
    assert missing_security_headers(client.get("/")) == []


def test_404_carries_every_security_header(client):
    assert missing_security_headers(client.get("/missing/")) == []


def test_static_file_carries_headers_and_is_cached_for_a_year(client):
    url = staticfiles_storage.url("css/site.css")
    assert url.startswith("/static/css/site.") and url != "/static/css/site.css"

    response = client.get(url, headers={"accept-encoding": "gzip"})

    assert response.status_code == 200
    assert missing_security_headers(response) == []
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


def test_csp_allows_no_inline_code(client):
    policy = client.get("/")["Content-Security-Policy"]

    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "script-src 'self'" in policy


def test_proxy_header_is_not_trusted_unless_configured(client):
    response = client.get("/", headers={"x-forwarded-proto": "https"})

    assert response.wsgi_request.is_secure() is False
