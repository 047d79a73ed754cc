"""What search engines and security researchers look for: sitemap.xml with both languages,
robots.txt pointing at it, canonical links, no index of secret addresses, security.txt."""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
import time_machine
from factories import EventFactory, NewsPostFactory

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 (the portal's own answer)
    return {
        url.find("s:loc", NS).text: {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
        }
        for url in root.findall("s:url", NS)
    }


def test_every_address_in_the_sitemap_answers_with_both_languages_and_x_default(
    client, cope_content
):
    EventFactory(slug="draft-walk", is_published=False)
    NewsPostFactory(slug="draft-news", is_published=False)
    entries = sitemap_entries(client)

    paths = {urlsplit(loc).path for loc in entries}
    assert {"/", "/es/", "/safety-plan/", "/es/safety-plan/82/", "/precincts/north/"} <= paths
    assert not {p for p in paths if "draft" in p}, "a draft is listed"
    for loc, alternates in entries.items():
        assert loc.startswith("http://testserver/")
        assert set(alternates) == {"en", "es", "x-default"}, loc
        assert alternates["x-default"] == alternates["en"]
    broken = {loc: r.status_code for loc in entries if (r := client.get(loc)).status_code != 200}
    assert broken == {}


def test_sitemap_and_robots_use_site_url_never_the_host_header(client, cope_content, settings):
    settings.SITE_URL = "https://cope.example.gov"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]

    entries = sitemap_entries(client)
    robots = client.get("/robots.txt", HTTP_HOST="evil.example").content.decode()

    assert all(loc.startswith("https://cope.example.gov/") for loc in entries)
    assert "Sitemap: https://cope.example.gov/sitemap.xml" in robots.splitlines()


def test_each_page_names_its_canonical_address(client, cope_content):
    page = client.get("/es/safety-plan/?status=completed").content.decode()

    assert '<link rel="canonical" href="http://testserver/es/safety-plan/?status=completed">' in (
        page
    )
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/safety-plan/' in (
        page
    )


def test_pages_at_secret_addresses_are_never_indexed(client, cope_content):
    from follow.models import Follower

    follower = Follower.objects.create(email="kim@example.org")

    for url in [
        f"/follow/manage/{follower.token}/",
        f"/es/follow/manage/{follower.token}/",
        "/follow/unsubscribe/not-a-token/",
        "/follow/confirm/not-a-token/",
    ]:
        assert client.get(url)["X-Robots-Tag"] == "noindex, nofollow", url
    assert "X-Robots-Tag" not in client.get("/follow/")


def test_security_txt_only_when_the_city_names_a_contact(client, settings):
    settings.SECURITY_CONTACTS = []
    assert client.get("/.well-known/security.txt").status_code == 404

    settings.SECURITY_CONTACTS = ["mailto:security@example.gov"]
    with time_machine.travel(datetime.datetime(2028, 2, 29, 23, 30, tzinfo=datetime.UTC)):
        response = client.get("/.well-known/security.txt")

    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert "Contact: mailto:security@example.gov" in lines
    expires = next(line.removeprefix("Expires: ") for line in lines if line.startswith("Expires"))
    expires = datetime.datetime.fromisoformat(expires)
    now = datetime.datetime(2028, 2, 29, 23, 30, tzinfo=datetime.UTC)
    assert now < expires < now + datetime.timedelta(days=365)
