"""Staff keep the finder's data: the CSV import is all or nothing, every bad line named."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from precincts import services
from precincts.models import Precinct, ServiceArea

pytestmark = pytest.mark.django_db


def areas():
    return sorted(ServiceArea.objects.values_list("kind", "value", "precinct__slug"))


def test_a_good_csv_adds_its_areas_normalized(cope_content):
    data = (
        b"kind,value,precinct\n"
        b"zip,35211-0001,south\n"
        b"neighborhood,  Five   Points South ,South Precinct\n"
        b"ZIP,35207,north\n"
        b"\n"
        b"neighborhood,Ensley,West\n"
    )

    result = services.import_service_areas(data=data)

    assert (result.added, result.already_on_file) == (2, 2)
    assert ("zip", "35211", "south") in areas()
    assert ("neighborhood", "five points south", "south") in areas()


def test_one_bad_line_saves_nothing_and_every_bad_line_is_named(cope_content):
    before = areas()
    data = (
        b"kind,value,precinct\n"
        b"zip,35211,south\n"
        b"zip,3521,south\n"
        b"street,Main,north\n"
        b"neighborhood,Ensley,central\n"
        b"zip,35212\n"
    )

    with pytest.raises(services.ServiceAreaImportError) as caught:
        services.import_service_areas(data=data)

    messages = caught.value.messages
    assert [message.split(":")[0] for message in messages] == [
        "Line 3",
        "Line 4",
        "Line 5",
        "Line 6",
    ]
    assert "5-digit ZIP code" in messages[0]
    assert "kind “street” is not zip or neighborhood" in messages[1]
    assert "precinct “central” is not one of east, north, south, west" in messages[2]
    assert "expected 3 values" in messages[3]
    assert areas() == before


def test_a_missing_header_is_reported_on_line_1(cope_content):
    with pytest.raises(services.ServiceAreaImportError) as caught:
        services.import_service_areas(data=b"zip,35211,south\n")

    assert caught.value.messages[0].startswith("Line 1:")
    assert not ServiceArea.objects.filter(value="35211").exists()


@pytest.mark.parametrize(
    "data", [b"", b"\xff\xfe\x00z", b"kind,value,precinct\nzip,\x0035211,south"]
)
def test_an_empty_or_non_text_file_is_refused_with_a_message(cope_content, data):
    with pytest.raises(services.ServiceAreaImportError) as caught:
        services.import_service_areas(data=data)

    assert caught.value.messages


def test_mark_contact_details_checked_sets_the_date_on_the_chosen_precincts(cope_content):
    services.mark_contact_details_checked(
        precincts=Precinct.objects.filter(slug__in=["north", "west"]), on=date(2025, 3, 5)
    )

    assert dict(Precinct.objects.values_list("slug", "contact_checked_on")) == {
        "north": date(2025, 3, 5),
        "south": None,
        "east": None,
        "west": date(2025, 3, 5),
    }


def test_a_precinct_phone_is_stored_in_one_canonical_form(cope_content):
    north = Precinct.objects.get(slug="north")
    north.phone = "(205) 254-2861"
    north.full_clean()
    assert north.phone == "+12052542861"

    north.phone = "not a phone"
    with pytest.raises(ValidationError) as caught:
        north.full_clean()
    assert "Enter a US phone number" in str(caught.value)
