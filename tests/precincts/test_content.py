"""The four precincts come from seed 000 as written; loading again keeps staff edits."""

from io import StringIO

import pytest
from django.core.management import call_command

from precincts.models import Precinct, ServiceArea

pytestmark = pytest.mark.django_db

SEED = [
    ("north", "North Precinct", "2600 31st Avenue North", "35207", "+12052542860"),
    ("south", "South Precinct", "1320 19th Street South", "35205", "+12052542793"),
    ("east", "East Precinct", "600 Red Lane Road", "35206", "+12052542685"),
    ("west", "West Precinct", "2236 47th Street Ensley", "35208", "+12052542682"),
]


def load():
    call_command("load_cope_content", stdout=StringIO())


def test_the_four_precincts_carry_the_seed_address_and_an_e164_phone(cope_content):

    rows = Precinct.objects.in_order().values_list(
        "slug", "name", "street_address", "postal_code", "phone", "city", "state"
    )
    assert list(rows) == [(*row, "Birmingham", "AL") for row in SEED]


def test_what_the_sources_do_not_say_starts_empty(cope_content):

    assert list(
        Precinct.objects.values_list(
            "hours", "email", "commander", "latitude", "longitude", "contact_checked_on"
        )
        .order_by()
        .distinct()
    ) == [("", "", "", None, None, None)]


def test_the_finder_starts_with_each_precincts_own_zip_and_ensley_for_west(cope_content):

    confirmed = ServiceArea.objects.filter(confirmed=True)
    areas = confirmed.values_list("kind", "value", "precinct__slug")
    assert sorted(areas) == [
        ("neighborhood", "ensley", "west"),
        ("zip", "35205", "south"),
        ("zip", "35206", "east"),
        ("zip", "35207", "north"),
        ("zip", "35208", "west"),
    ]


def test_bpd_precinct_pages_neighborhoods_and_areas_are_loaded_with_their_source_unconfirmed(
    cope_content,
):
    base = "https://police.birminghamal.gov/bureaus/patrol/"
    sourced = ServiceArea.objects.filter(confirmed=False).order_by("precinct__order", "label")
    assert [(a.precinct.slug, a.label, a.source) for a in sourced] == [
        ("north", "Collegeville", base + "north-precinct/"),
        ("north", "Evergreen", base + "north-precinct/"),
        ("north", "Fountain Heights", base + "north-precinct/"),
        ("north", "Norwood", base + "north-precinct/"),
        ("east", "Woodlawn", base + "east-precinct/"),
        ("west", "Brownsville", base + "west-precinct/"),
        ("west", "Five Points West", base + "west-precinct/"),
        ("west", "Powderly", base + "west-precinct/"),
        ("west", "Pratt City", base + "west-precinct/"),
        ("west", "Roosevelt City", base + "west-precinct/"),
        ("west", "Wylam", base + "west-precinct/"),
    ]
    miles = dict(Precinct.objects.values_list("slug", "area_square_miles"))
    assert {slug: m and int(m) for slug, m in miles.items()} == {
        "north": 41,
        "west": 65,
        "east": 50,
        "south": None,
    }


def test_loading_again_keeps_staff_edits_and_removed_areas(cope_content):
    north = Precinct.objects.get(slug="north")
    north.phone = "+12055550100"
    north.hours = "Staff-confirmed hours"
    north.save()
    ServiceArea.objects.filter(value="ensley").delete()

    load()

    north.refresh_from_db()
    assert (north.phone, north.hours) == ("+12055550100", "Staff-confirmed hours")
    assert not ServiceArea.objects.filter(value="ensley").exists()
    assert Precinct.objects.count() == 4
