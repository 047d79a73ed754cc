"""The contact card a phone imports: vCard 3.0, parsed here by a real vCard library."""

import pytest
import vobject

from precincts.models import Precinct

pytestmark = pytest.mark.django_db


def test_contact_card_is_a_vcard_with_the_seed_phone_and_address(client, cope_content):
    response = client.get("/precincts/west.vcf")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="west-precinct.vcf"'
    card = vobject.readOne(response.content.decode("utf-8"))
    assert card.version.value == "3.0"
    assert card.fn.value == "West Precinct"
    assert card.org.value == ["Birmingham Police Department", "West Precinct"]
    assert card.tel.value == "+12052542682"
    address = card.adr.value
    assert (address.street, address.city, address.region, address.code) == (
        "2236 47th Street Ensley",
        "Birmingham",
        "AL",
        "35208",
    )
    assert card.url.value == "http://testserver/precincts/west/"
    assert not hasattr(card, "email") and not hasattr(card, "note")


def test_contact_card_carries_email_and_hours_once_staff_add_them(client, cope_content):
    Precinct.objects.filter(slug="north").update(
        email="north@example.gov", hours="Weekdays; staff-confirmed, with a comma\nSecond line"
    )

    card = vobject.readOne(client.get("/precincts/north.vcf").content.decode("utf-8"))

    assert card.email.value == "north@example.gov"
    assert card.note.value == "Hours: Weekdays; staff-confirmed, with a comma\nSecond line"


def test_precinct_page_links_its_contact_card(client, cope_content):
    response = client.get("/precincts/east/")

    assert 'href="/precincts/east.vcf"' in response.text
    assert "Download contact card" in response.text
