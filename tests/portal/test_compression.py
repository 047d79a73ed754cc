"""Pages, feeds and calendars go out compressed (portal/compression.py), cached or not, with
an ETag per encoding and `Vary: Accept-Encoding`; nothing that could leak a secret is."""

import re

import pytest

from portal.compression import decompress

pytestmark = pytest.mark.django_db

GZIP = {"accept-encoding": "gzip, deflate"}
BROTLI = {"accept-encoding": "gzip, deflate, br"}


@pytest.fixture
def page_cache(settings, cope_content):
    from portal.pagecache import generation

    settings.PAGE_CACHE_SECONDS = 600
    generation()


def varies_by_encoding(response) -> bool:
    return "Accept-Encoding" in re.split(r",\s*", response["Vary"])


def test_a_cached_page_goes_out_in_the_encoding_each_client_takes(client, page_cache):
    first = client.get("/safety-plan/", headers=GZIP)
    brotli = client.get("/safety-plan/", headers=BROTLI)
    plain = client.get("/safety-plan/")

    assert first["X-Cache"] == "miss" and first["Content-Encoding"] == "gzip"
    assert brotli["X-Cache"] == "hit" and brotli["Content-Encoding"] == "br"
    assert plain["X-Cache"] == "hit" and "Content-Encoding" not in plain
    assert decompress(first.content, "gzip") == decompress(brotli.content, "br") == plain.content
    assert len(first.content) < len(plain.content) / 4
    assert int(brotli["Content-Length"]) == len(brotli.content)
    assert all(varies_by_encoding(r) for r in (first, brotli, plain))
    etags = {first["ETag"], brotli["ETag"], plain["ETag"]}
    assert len(etags) == 3 and not any(etag.startswith("W/") for etag in etags)


def test_a_compressed_page_answers_304_to_its_own_etag_only(client, page_cache):
    etag = client.get("/programs/", headers=GZIP)["ETag"]

    again = client.get("/programs/", headers={**GZIP, "if-none-match": etag})
    other = client.get("/programs/", headers={**BROTLI, "if-none-match": etag})

    assert again.status_code == 304 and varies_by_encoding(again)
    assert other.status_code == 200 and other["Content-Encoding"] == "br"


def test_a_q_of_zero_refuses_an_encoding(client, page_cache):
    response = client.get("/programs/", headers={"accept-encoding": "br;q=0, gzip;q=0.5"})

    assert response["Content-Encoding"] == "gzip"


@pytest.mark.parametrize(
    "path", ["/programs/", "/es/events/", "/news/feed/", "/safety-plan/feed/", "/volunteer/"]
)
def test_uncached_pages_feeds_and_calendars_are_compressed_too(client, cope_content, path):
    response = client.get(path, headers=GZIP)

    assert response.status_code == 200 and "X-Cache" not in response  # the page cache is off
    assert response["Content-Encoding"] == "gzip" and varies_by_encoding(response)
    assert decompress(response.content, "gzip") == client.get(path).content or path == (
        "/volunteer/"  # its form's CSRF token is masked anew on every response (BREACH)
    )


def test_the_calendar_is_compressed(client, cope_content):
    response = client.get("/events/calendar.ics", headers=BROTLI)

    assert response["Content-Encoding"] == "br"
    assert decompress(response.content, "br").startswith(b"BEGIN:VCALENDAR")


def test_the_csrf_token_differs_in_every_compressed_form(client, cope_content):
    """BREACH: a secret that changes on every response cannot be guessed byte by byte."""
    tokens = {
        re.search(
            rb'name="csrfmiddlewaretoken" value="([^"]+)"',
            decompress(client.get("/volunteer/", headers=GZIP).content, "gzip"),
        ).group(1)
        for _ in range(3)
    }

    assert len(tokens) == 3


def test_nothing_is_compressed_for_signed_in_staff(client, admin_user, cope_content):
    """Staff pages hold personal data beside search words anyone can put in a link."""
    client.force_login(admin_user)

    for path in ("/programs/", "/staff/programs/volunteersignup/?q=a"):
        response = client.get(path, headers=GZIP)
        assert response.status_code == 200
        assert "Content-Encoding" not in response


def test_no_page_whose_address_holds_a_secret_is_compressed(client, cope_content):
    response = client.get("/follow/manage/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/", headers=GZIP)

    assert "Content-Encoding" not in response
