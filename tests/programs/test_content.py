"""The programs come from seed 000, as written, and loading again changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from programs.models import Program, ProgramKind

pytestmark = pytest.mark.django_db

KINDS = [
    "Community Oriented, Community Focused, and Community Driven",
    "Volunteer opportunities",
    "Youth programs",
    "Educational programs",
]
PROGRAMS = {
    "Community Oriented, Community Focused, and Community Driven": [
        "School Resource Officers (SRO)",
        "Community Relations Assistants (Crime Prevention Officer – CPO)",
        "Community Service Officers (CSO)",
        "Community Engagement Liaison",
    ],
    "Volunteer opportunities": [
        "Administrative Support",
        "Chaplain Program",
        "City Jail Ministries",
        "Citizens on Patrol (COP)",
        "Special Events – Serve Programs",
    ],
    "Youth programs": ["Police Athletic Teams (PAT)", "Police Youth Advisory Council (PYAC)"],
    "Educational programs": [
        "Internship Program",
        "Speaking Engagements",
        "Community Police Academy",
        "Ride-along Program",
    ],
}


def load():
    call_command("load_cope_content", stdout=StringIO())


def snapshot():
    return list(Program.objects.order_by("pk").values()), list(ProgramKind.objects.values())


def test_the_four_kinds_and_fifteen_programs_are_loaded_in_order(cope_content):

    kinds = ProgramKind.objects.with_published_programs()
    assert [k.name for k in kinds] == KINDS
    assert {k.name: [p.name for p in k.published_programs] for k in kinds} == PROGRAMS
    assert Program.objects.count() == 15


def test_the_ocr_joined_internship_and_speaking_engagements_are_two_programs(cope_content):

    assert not Program.objects.filter(name__contains="Programz").exists()
    assert (
        Program.objects.filter(name__in=["Internship Program", "Speaking Engagements"]).count() == 2
    )


def test_the_chaplaincy_paragraph_belongs_to_the_chaplain_program(cope_content):

    chaplain = Program.objects.get(slug="chaplain-program")
    assert chaplain.description.startswith("A sworn officer is assigned as the lead chaplain")
    assert chaplain.kind.slug == "volunteer"


def test_the_volunteer_purpose_paragraph_introduces_the_volunteer_kind(cope_content):

    volunteer = ProgramKind.objects.get(slug="volunteer")
    assert "volunteer their time and skills" in volunteer.introduction


def test_programs_the_seed_only_names_have_no_description(cope_content):

    named_only = Program.objects.filter(description="").values_list("name", flat=True)
    assert sorted(named_only) == sorted(
        PROGRAMS["Volunteer opportunities"][:1]
        + PROGRAMS["Volunteer opportunities"][2:]
        + PROGRAMS["Youth programs"]
        + PROGRAMS["Educational programs"]
    )


def test_loading_again_changes_nothing_and_keeps_staff_edits(cope_content):
    sro = Program.objects.get(slug="school-resource-officers")
    sro.summary = "Edited by staff"
    sro.save()
    Program.objects.filter(slug="ride-along-program").delete()
    before = snapshot()

    load()

    after = snapshot()
    assert after[1] == before[1]
    assert [row for row in after[0] if row["slug"] != "ride-along-program"] == before[0]
    assert Program.objects.get(slug="school-resource-officers").summary == "Edited by staff"
