"""Staff keep programs in the admin: list by kind, search, filter, stable slugs."""

import pytest

from programs.models import Program

pytestmark = pytest.mark.django_db


def test_staff_list_search_and_filter_programs(admin_client, cope_content):
    listing = admin_client.get("/staff/programs/program/?q=chaplain")
    unpublished = admin_client.get("/staff/programs/program/?is_published__exact=0")

    assert listing.status_code == 200
    assert "Chaplain Program" in listing.text and "Ride-along Program" not in listing.text
    assert unpublished.status_code == 200 and "Chaplain Program" not in unpublished.text


def test_slug_cannot_change_once_saved(admin_client, cope_content):
    program = Program.objects.get(slug="ride-along-program")

    page = admin_client.get(f"/staff/programs/program/{program.pk}/change/")

    assert page.status_code == 200
    assert 'name="slug"' not in page.text  # shown read-only: bookmarks keep working


def test_unpublished_program_stays_visible_to_staff(admin_client, cope_content):
    Program.objects.filter(slug="chaplain-program").update(is_published=False)

    assert "Chaplain Program" in admin_client.get("/staff/programs/program/").text
