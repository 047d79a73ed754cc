"""Family 3: a script saved by staff in any public text comes out inert everywhere."""

import json

import pytest
from crawl import crawl
from django.core import mail

from precincts.models import Precinct, ServiceArea
from programs.models import AgeBand, Program, ProgramKind
from programs.services import notify_signup, submit_signup
from recommendations.models import FocusArea, Recommendation, Status
from recommendations.services import record_status_update

pytestmark = pytest.mark.django_db
PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def poisoned(cope_content, admin_user):
    kind = ProgramKind.objects.get(slug="volunteer")
    kind.introduction = PAYLOAD
    kind.save()
    for field in ["name", "summary", "description", "audience", "how_to_join", "requirements"]:
        Program.objects.filter(slug="city-jail-ministries").update(**{field: f"{field} {PAYLOAD}"})
    area = FocusArea.objects.create(slug="x", name=f"Area {PAYLOAD}")
    Recommendation.objects.filter(number=30).update(
        title=f"Title {PAYLOAD}", text=f"Text {PAYLOAD}", source_fragment=PAYLOAD, focus_area=area
    )
    Precinct.objects.filter(slug="north").update(
        name=f"North {PAYLOAD}",
        hours=f"Hours {PAYLOAD}\nEND:VCARD\r\nBEGIN:VCARD\nFN:Evil",
        commander=f"Cmdr {PAYLOAD}",
        street_address=f"2600 {PAYLOAD}",
    )
    ServiceArea.objects.create(
        kind="neighborhood", value=f"hood {PAYLOAD}", precinct=Precinct.objects.get(slug="north")
    )
    record_status_update(
        recommendation=Recommendation.objects.get(number=30),
        status=Status.IN_PLANNING,
        note=f"Note {PAYLOAD}",
        author=admin_user,
    )
    return PAYLOAD


def test_payloads_are_escaped_in_every_page_and_partial(client, poisoned):
    site = crawl(client)
    partial = client.get("/safety-plan/?q=Title", headers={"hx-request": "true"})

    for url, response in [*site.pages.items(), ("partial", partial)]:
        assert b"<script>alert" not in response.content, url
        assert b"<img src=x" not in response.content, url
    assert b"&lt;script&gt;alert" in client.get("/safety-plan/30/").content
    north = client.get("/precincts/north/").content
    assert b"&lt;script&gt;" in north and b"<script>alert" not in north
    finder = client.get("/precincts/find/?q=hood", headers={"hx-request": "true"}).content
    assert b"<script>alert" not in finder


def test_payloads_are_inert_in_feeds_json_and_csv(client, poisoned):
    feed = client.get("/safety-plan/feed/")
    data = client.get("/safety-plan/recommendations.json")
    csv = client.get("/safety-plan/recommendations.csv")

    assert b"<script>" not in feed.content and b"&lt;script&gt;" in feed.content
    assert data["Content-Type"] == "application/json"
    assert data["X-Content-Type-Options"] == "nosniff"
    assert json.loads(data.getvalue())["recommendations"][29]["title"] == f"Title {PAYLOAD}"
    assert csv["Content-Type"].startswith("text/csv") and "attachment" in csv["Content-Disposition"]
    vcard = client.get("/precincts/north.vcf")
    assert vcard["Content-Type"].startswith("text/vcard") and b"BEGIN:VCARD" in vcard.content
    lines = vcard.content.split(b"\r\n")
    assert lines.count(b"BEGIN:VCARD") == 1 and lines.count(b"END:VCARD") == 1  # one card only
    assert not any(line.startswith(b"FN:Evil") for line in lines)


def test_payloads_in_emails_stay_plain_text(poisoned, settings):
    settings.VOLUNTEER_COORDINATOR_EMAILS = ["c@example.gov"]
    signup = submit_signup(
        full_name=PAYLOAD,
        email="v@example.org",
        phone="",
        zip_code="35203",
        programs=Program.objects.filter(slug="city-jail-ministries"),
        availability=["weekends"],
        age_band=AgeBand.ADULT,
        guardian_name="",
        guardian_phone="",
        message=PAYLOAD,
        accept_privacy_notice=True,
        consent_to_contact=True,
    )

    notify_signup(signup=signup)

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert message.content_subtype == "plain" and not getattr(message, "alternatives", [])
    assert PAYLOAD not in mail.outbox[1].body  # the coordinators' notice holds no name
