"""Staff load the city's precinct boundaries: checked whole, kept with source and date."""

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from precinct_points import TEST_BOUNDARIES

from precincts import services
from precincts.boundaries import BoundaryFileError
from precincts.models import PrecinctBoundary

pytestmark = pytest.mark.django_db

SWAPPED = [[[33.55, -86.95], [33.55, -86.65], [33.65, -86.65], [33.55, -86.95]]]
BOW_TIE = [[[-86.95, 33.55], [-86.65, 33.65], [-86.65, 33.55], [-86.95, 33.65], [-86.95, 33.55]]]
STATE_PLANE_FEET = [
    [[2179000, 1290000], [2200000, 1290000], [2200000, 1300000], [2179000, 1290000]]
]


def fixture_data() -> dict:
    return json.loads(TEST_BOUNDARIES.read_text())


def load(data: dict, **kwargs):
    return services.load_boundaries(
        data=json.dumps(data).encode(),
        source=kwargs.get("source", "City GIS"),
        source_date=date(2026, 1, 15),
    )


def problems(data: dict) -> list[str]:
    with pytest.raises(BoundaryFileError) as caught:
        load(data)
    return caught.value.messages


def test_the_command_loads_one_boundary_per_precinct_with_source_and_date(cope_content, capsys):
    call_command(
        "load_precinct_boundaries", str(TEST_BOUNDARIES), "--source", "Test", "--date", "2026-01-15"
    )

    rows = PrecinctBoundary.objects.for_map()
    assert [row.precinct.slug for row in rows] == ["north", "south", "east", "west"]
    assert {(row.source, row.source_date) for row in rows} == {("Test", date(2026, 1, 15))}
    assert "4 precinct boundaries loaded." in capsys.readouterr().out
    east = PrecinctBoundary.objects.get(precinct__slug="east")
    assert east.geometry["type"] == "MultiPolygon"
    assert (east.min_longitude, east.max_longitude) == (-86.80, -86.58)


def test_a_bad_file_changes_nothing_and_the_command_says_why(boundaries, tmp_path):
    data = fixture_data()
    data["features"][0]["geometry"]["coordinates"] = SWAPPED
    (tmp_path / "swapped.geojson").write_text(json.dumps(data))
    before = list(PrecinctBoundary.objects.values_list("pk", "source"))

    with pytest.raises(CommandError, match="look like latitude, longitude"):
        call_command("load_precinct_boundaries", str(tmp_path / "swapped.geojson"), "--source", "x")
    assert list(PrecinctBoundary.objects.values_list("pk", "source")) == before


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["features"][1]["properties"].update(precinct="north"), "already has"),
        (lambda d: d["features"][1]["properties"].update(precinct="central"), "is not a precinct"),
        (lambda d: d["features"][1]["properties"].pop("precinct"), "no “precinct” property"),
        (lambda d: d["features"].pop(), "no boundary for: south"),
        (
            lambda d: d["features"][0].update(
                geometry={"type": "Point", "coordinates": [-86.8, 33.5]}
            ),
            "not a Polygon or MultiPolygon",
        ),
        (
            # a bow tie: the ring crosses itself
            lambda d: d["features"][0]["geometry"].update(coordinates=BOW_TIE),
            "not valid (Self-intersection",
        ),
        (
            lambda d: d["features"][0]["geometry"].update(coordinates=STATE_PLANE_FEET),
            "not inside Alabama. GeoJSON must be in WGS 84",
        ),
    ],
)
def test_each_problem_is_named_and_nothing_is_saved(cope_content, change, expected):
    data = fixture_data()
    change(data)

    assert expected in " ".join(problems(data))
    assert not PrecinctBoundary.objects.exists()


def test_not_geojson_is_refused_plainly(cope_content):
    with pytest.raises(BoundaryFileError, match="not GeoJSON"):
        services.load_boundaries(data=b"<kml/>", source="x", source_date=date(2026, 1, 1))
    with pytest.raises(BoundaryFileError, match="FeatureCollection"):
        load({"type": "Feature"})


def test_overlaps_are_reported_but_loaded(cope_content):
    data = fixture_data()
    west = data["features"][1]["geometry"]["coordinates"][0]
    for corner in west:  # push the west area 0.01° into the east and south areas
        if corner[0] == -86.80:
            corner[0] = -86.79

    result = load(data)

    assert result.loaded == 4
    assert [o.split(" overlap")[0] for o in result.overlaps] == ["west and east", "west and south"]
    assert PrecinctBoundary.objects.count() == 4


def test_shared_edges_are_not_overlaps(cope_content):
    assert load(fixture_data()).overlaps == []


def test_staff_upload_geojson_in_the_admin_and_see_errors_beside_nothing_saved(
    client, editor, cope_content
):
    client.force_login(editor)
    editor_client = client
    bad = fixture_data()
    bad["features"].pop()
    response = editor_client.post(
        "/staff/precincts/precinctboundary/upload/",
        {"file": upload_of(bad), "source": "City GIS", "source_date": "2026-01-15"},
    )
    assert response.status_code == 422
    assert "no boundary for: south" in response.text
    assert not PrecinctBoundary.objects.exists()

    response = editor_client.post(
        "/staff/precincts/precinctboundary/upload/",
        {"file": upload_of(fixture_data()), "source": "City GIS", "source_date": "2026-01-15"},
        follow=True,
    )
    assert "4 precinct boundaries loaded." in response.text
    assert PrecinctBoundary.objects.filter(source="City GIS").count() == 4


def upload_of(data: dict):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("precincts.geojson", json.dumps(data).encode(), "application/json")
