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


# Issue 14: editors see no trace of volunteers' sign-ups.


@pytest.fixture
def editor_client(client, cope_content):
    from django.contrib.auth.models import Group, User

    from portal.roles import EDITOR

    user = User.objects.create_user("editor", password="x" * 16, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(user)
    return client


@pytest.fixture
def program_with_signup(cope_content):
    from programs.models import AgeBand, VolunteerSignup

    program = Program.objects.get(slug="chaplain-program")
    signup = VolunteerSignup.objects.create(
        reference="V-SECRET",
        full_name="Kim Park",
        email="kim@example.org",
        zip_code="35203",
        age_band=AgeBand.ADULT,
    )
    signup.programs.add(program)
    return program


def test_the_delete_page_of_a_program_with_signups_refuses_and_names_no_signup(
    editor_client, program_with_signup
):
    url = f"/staff/programs/program/{program_with_signup.pk}/delete/"

    page = editor_client.get(url)
    posted = editor_client.post(url, {"post": "yes"})

    assert "unpublish it instead" in page.text
    for trace in ("VolunteerSignup", "V-SECRET", "Kim Park", "sign-up-program", "object ("):
        assert trace not in page.text and trace not in posted.text
    assert Program.objects.filter(pk=program_with_signup.pk).exists()
    assert program_with_signup.signups.count() == 1


def test_bulk_delete_of_programs_with_signups_refuses_too(editor_client, program_with_signup):
    response = editor_client.post(
        "/staff/programs/program/",
        {"action": "delete_selected", "_selected_action": [program_with_signup.pk], "post": "yes"},
    )

    assert "unpublish it instead" in response.text and "V-SECRET" not in response.text
    assert Program.objects.filter(pk=program_with_signup.pk).exists()


def test_a_program_without_signups_can_still_be_deleted(editor_client):
    program = Program.objects.get(slug="ride-along-program")

    response = editor_client.post(f"/staff/programs/program/{program.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302 and not Program.objects.filter(pk=program.pk).exists()


def test_a_program_with_signups_cannot_be_deleted_in_code_either(program_with_signup):
    from django.db import transaction
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError), transaction.atomic():
        program_with_signup.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        Program.objects.filter(pk=program_with_signup.pk).delete()
    assert program_with_signup.signups.count() == 1


@pytest.mark.parametrize(
    "query",
    [
        "signups__isnull=False",
        "signups__isnull=True",
        "signups=1",
        "signups__id__gte=0",
        "signups__full_name__startswith=K",
        "signups__email__contains=%40",
    ],
)
def test_editors_cannot_filter_programs_by_signups(editor_client, program_with_signup, query):
    response = editor_client.get(f"/staff/programs/program/?{query}")

    assert response.status_code in {400, 403}
    assert "Chaplain Program" not in response.text
