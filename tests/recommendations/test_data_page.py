"""The data page and the Data Package: what the files hold, said once and checked against the
files themselves with an independent validator (frictionless)."""

import csv
import io

import extruct
import pytest
from bs4 import BeautifulSoup
from frictionless import Package, validate

from recommendations import exports
from recommendations.models import Recommendation, Status
from recommendations.services import record_status_update, retract_status_update

pytestmark = pytest.mark.django_db

LICENCE = {"name": "Example Open Licence 1.0", "url": "https://licences.example.org/open/1.0/"}


@pytest.fixture
def corrected(cope_content, editor):
    """A posted update and one retracted: every kind of value the files hold, nulls too."""
    rec = Recommendation.objects.get(number=38)
    record_status_update(recommendation=rec, status=Status.COMPLETED, note="Done.", author=editor)
    wrong = record_status_update(
        recommendation=Recommendation.objects.get(number=2),
        status=Status.NOT_PURSUED,
        note="-posted on the wrong one",  # a leading "-" is made inert in the CSV
        author=editor,
    )
    retract_status_update(update=wrong, reason="Posted on the wrong one.", author=editor)


def json_ld(response) -> dict:
    """The page's one JSON-LD block, read back with extruct as search engines' tools do."""
    (data,) = extruct.extract(response.text, syntaxes=["json-ld"])["json-ld"]
    return data


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_data_page_lists_every_column_of_every_file(client, corrected, prefix):
    response = client.get(f"{prefix}/safety-plan/data/")

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    for name, columns in [
        ("recommendations", exports.RECOMMENDATION_FIELDS),
        ("status-updates", exports.STATUS_UPDATE_FIELDS),
    ]:
        section = soup.find("h2", id=name).parent
        assert [dt.get_text() for dt in section.find_all("dt")] == columns
        hrefs = {a["href"] for a in section.find_all("a")}
        assert {f"/safety-plan/{name}.csv", f"/safety-plan/{name}.json"} <= hrefs
    assert soup.find(id="since") and soup.find(id="licence") and soup.find(id="cite")


def test_tracker_links_to_the_data_page(client, cope_content):
    soup = BeautifulSoup(client.get("/safety-plan/").content, "html.parser")

    assert soup.find(id="data").parent.find("a", href="/safety-plan/data/")


def test_licence_not_yet_decided_until_the_city_sets_it(client, cope_content, settings):
    settings.OPEN_DATA_LICENSE = None
    page = client.get("/safety-plan/data/")
    package = client.get("/safety-plan/datapackage.json").json()

    assert b"has not been decided yet" in page.content
    assert "license" not in json_ld(page) and "licenses" not in package

    settings.OPEN_DATA_LICENSE = LICENCE
    page = client.get("/safety-plan/data/")
    package = client.get("/safety-plan/datapackage.json").json()

    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.find(id="licence").parent.find("a", href=LICENCE["url"]).string == LICENCE["name"]
    assert json_ld(page)["license"] == LICENCE["url"]
    assert package["licenses"] == [{"path": LICENCE["url"], "title": LICENCE["name"]}]


def test_data_page_is_a_schema_org_dataset_with_its_files(
    client, corrected, django_assert_num_queries
):
    with django_assert_num_queries(1):  # when the data last changed
        response = client.get("/safety-plan/data/")
    data = json_ld(response)

    assert data["@type"] == "Dataset" and data["url"].endswith("/safety-plan/data/")
    assert len(data["description"]) >= 50
    assert {d["contentUrl"].rsplit("/", 1)[1] for d in data["distribution"]} == {
        "recommendations.csv",
        "recommendations.json",
        "status-updates.csv",
        "status-updates.json",
    }
    assert data["dateModified"]


def test_datapackage_is_valid_and_the_csv_files_keep_to_it(client, corrected, tmp_path):
    descriptor = client.get("/safety-plan/datapackage.json").json()
    assert list(Package.metadata_validate(descriptor)) == []  # as published, with its URLs

    # The files as a reader gets them, beside a copy of the package that points at them.
    for resource in descriptor["resources"]:
        name = resource["path"].rsplit("/", 1)[1]
        (tmp_path / name).write_bytes(client.get(f"/safety-plan/{name}").getvalue())
        resource["path"] = name
    report = validate(descriptor, basepath=str(tmp_path))

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [r["name"] for r in descriptor["resources"]] == ["recommendations", "status-updates"]
    fields = [[f["name"] for f in r["schema"]["fields"]] for r in descriptor["resources"]]
    assert fields == [exports.RECOMMENDATION_FIELDS, exports.STATUS_UPDATE_FIELDS]
    assert len((tmp_path / "status-updates.csv").read_text().splitlines()) == 71  # 70 + header


def test_a_broken_file_fails_the_package(client, corrected, tmp_path):
    """The check can fail: an update about a recommendation the plan does not have."""
    descriptor = client.get("/safety-plan/datapackage.json").json()
    for resource in descriptor["resources"]:
        name = resource["path"].rsplit("/", 1)[1]
        rows = list(csv.reader(io.StringIO(client.get(f"/safety-plan/{name}").getvalue().decode())))
        if name == "status-updates.csv":
            rows[1][1] = "83"
        with open(tmp_path / name, "w", newline="", encoding="utf-8") as file:
            csv.writer(file).writerows(rows)
        resource["path"] = name

    report = validate(descriptor, basepath=str(tmp_path))

    assert not report.valid
    assert {error.type for error in report.tasks[1].errors} >= {"constraint-error"}
