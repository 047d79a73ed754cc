"""Staff keep precincts and service areas in the admin: CSV upload, checked-today action."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from precincts.models import Precinct, ServiceArea

pytestmark = pytest.mark.django_db

UPLOAD = "/staff/precincts/servicearea/upload/"
QUERIES = {
    "/staff/precincts/servicearea/": 7,
    "/staff/precincts/precinct/": 6,
    "/staff/precincts/servicearea/uncovered/": 4,
    "/staff/precincts/servicearea/template.csv": 3,
}


def upload(client, text: str):
    csv_file = SimpleUploadedFile("areas.csv", text.encode(), content_type="text/csv")
    return client.post(UPLOAD, {"file": csv_file})


def test_upload_with_one_bad_line_saves_nothing_and_names_the_line(admin_client, cope_content):
    count = ServiceArea.objects.count()

    response = upload(admin_client, "kind,value,precinct\nzip,35211,south\nzip,352,south\n")

    assert response.status_code == 422
    assert "Nothing was saved" in response.text
    assert "Line 3:" in response.text
    assert ServiceArea.objects.count() == count


def test_upload_of_a_file_over_1_mb_is_refused_with_a_message(admin_client, cope_content):
    response = upload(admin_client, "kind,value,precinct\n" + "zip,35211,south\n" * 70_000)

    assert response.status_code == 422
    assert "larger than 1 MB" in response.text
    assert not ServiceArea.objects.filter(value="35211").exists()


def test_good_upload_adds_the_areas_and_says_how_many(admin_client, cope_content):
    response = upload(admin_client, "kind,value,precinct\nneighborhood,Bush Hills,west\n")

    assert response.status_code == 302
    assert ServiceArea.objects.filter(value="bush hills", precinct__slug="west").exists()
    listing = admin_client.get(response["Location"])
    assert "1 service area(s) added" in listing.text
    assert 'href="/staff/precincts/servicearea/upload/"' in listing.text


def test_mark_contact_details_checked_today_action(admin_client, cope_content):
    south = Precinct.objects.get(slug="south")

    response = admin_client.post(
        "/staff/precincts/precinct/",
        {"action": "mark_contact_checked_today", "_selected_action": [south.pk]},
    )

    assert response.status_code == 302
    south.refresh_from_db()
    assert south.contact_checked_on == timezone.localdate()
    assert Precinct.objects.filter(contact_checked_on__isnull=True).count() == 3


def test_staff_type_a_phone_any_usual_way_and_it_is_stored_canonically(admin_client, cope_content):
    east = Precinct.objects.get(slug="east")
    page = admin_client.get(f"/staff/precincts/precinct/{east.pk}/change/")
    assert page.status_code == 200

    data = {
        "name_en": east.name,
        "name_es": "",
        "order": east.order,
        "street_address": east.street_address,
        "city": east.city,
        "state": east.state,
        "postal_code": east.postal_code,
        "phone": "205.254.2699",
        "hours_en": "",
        "hours_es": "",
        "email": "",
        "commander_en": "",
        "commander_es": "",
        "latitude": "",
        "longitude": "",
        "contact_checked_on": "",
        "service_areas-TOTAL_FORMS": "0",
        "service_areas-INITIAL_FORMS": "0",
    }
    response = admin_client.post(f"/staff/precincts/precinct/{east.pk}/change/", data)

    assert response.status_code == 302
    east.refresh_from_db()
    assert east.phone == "+12052542699"


@pytest.mark.parametrize("url", list(QUERIES))
def test_staff_lists_run_the_same_queries_for_more_rows(
    admin_client, cope_content, django_assert_num_queries, url
):
    admin_client.get(url)  # the session and user are cached after the first request
    with django_assert_num_queries(QUERIES[url]):
        admin_client.get(url)
    west = Precinct.objects.get(slug="west")
    ServiceArea.objects.bulk_create(
        ServiceArea(kind="neighborhood", value=f"place {n}", precinct=west) for n in range(30)
    )
    ServiceArea.objects.bulk_create(
        ServiceArea(kind="zip", value=f"352{n:02}", precinct=west) for n in range(10, 30)
    )

    with django_assert_num_queries(QUERIES[url]):
        response = admin_client.get(url)

    assert response.status_code == 200


def test_staff_see_the_birmingham_zip_codes_no_service_area_covers(admin_client, cope_content):
    response = admin_client.get("/staff/precincts/servicearea/uncovered/")

    listed = [
        li.get_text()
        for li in BeautifulSoup(response.content, "html.parser").select(".uncovered-zip-codes li")
    ]
    assert response.status_code == 200
    assert "35203" in listed and "35211" in listed
    for covered in ["35205", "35206", "35207", "35208"]:
        assert covered not in listed
    assert "36104" not in listed


def test_a_zip_staff_assign_leaves_the_uncovered_list(admin_client, cope_content):
    ServiceArea.objects.create(
        kind="zip", value="35203", precinct=Precinct.objects.get(slug="south")
    )

    response = admin_client.get("/staff/precincts/servicearea/uncovered/")

    assert ">35203<" not in response.text


def test_the_csv_template_lists_unassigned_zips_with_the_precinct_left_for_staff(
    admin_client, cope_content
):
    response = admin_client.get("/staff/precincts/servicearea/template.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0] == ["kind", "value", "precinct"]
    assert ["zip", "35203", ""] in rows
    assert all(row[2] == "" for row in rows[1:])
    assert "35207" not in [row[1] for row in rows]


def test_staff_write_the_spanish_name_and_hours_beside_the_english(admin_client, cope_content):
    north = Precinct.objects.get(slug="north")
    url = f"/staff/precincts/precinct/{north.pk}/change/"
    form = BeautifulSoup(admin_client.get(url).content, "html.parser")
    assert form.find("input", attrs={"name": "name_es"})["value"] == "Estación de Policía Norte"
    assert form.find("textarea", attrs={"name": "hours_es"}) is not None
    assert form.find("input", attrs={"name": "street_address_es"}) is None  # an address

    data = {
        "name_en": "North Precinct",
        "name_es": "Estación de Policía Norte",
        "order": north.order,
        "street_address": north.street_address,
        "city": north.city,
        "state": north.state,
        "postal_code": north.postal_code,
        "phone": north.phone,
        "hours_en": "Monday to Friday.",
        "hours_es": "De lunes a viernes.",
        "email": "",
        "commander_en": "",
        "commander_es": "",
        "latitude": "",
        "longitude": "",
        "contact_checked_on": "",
        "service_areas-TOTAL_FORMS": "0",
        "service_areas-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)

    assert response.status_code == 302
    north.refresh_from_db()
    assert (north.hours_en, north.hours_es) == ("Monday to Friday.", "De lunes a viernes.")
