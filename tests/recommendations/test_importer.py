"""The city's status table, imported honestly: every quirk of the OCR'd copy on purpose."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from recommendations.importer import SourceFormatError, parse, read_source, title_for
from recommendations.models import SOURCE_REPORT, Recommendation, Status, StatusUpdate

ROWS = {row.number: row for row in read_source()}


def test_all_82_rows_in_order():
    assert list(ROWS) == list(range(1, 83))


def test_status_counts_are_what_a_reader_of_the_source_table_counts():
    counts = Counter(row.status for row in ROWS.values())

    assert counts == {
        Status.NO_UPDATE: 25,
        Status.IN_PROGRESS: 22,
        Status.IN_PLANNING: 12,
        Status.IN_DEVELOPMENT: 5,  # four DEVELOPMENT and one IN DEVELOPMENT
        Status.PRE_LAUNCH: 4,
        "": 14,  # rows 24 to 37
    }


def test_rows_24_to_37_are_unpublished_with_no_text_and_no_status():
    for number in range(24, 38):
        row = ROWS[number]
        assert (row.published, row.text, row.status, row.note) == (False, "", "", "")


def test_the_fragment_before_row_38_is_kept_only_as_a_fragment():
    assert ROWS[37].fragment == "without a license and prevent brandishing of weapons in public)."
    assert all(not ROWS[n].fragment for n in range(24, 37))


def test_row_38_note_starts_on_the_line_before_it():
    assert ROWS[38].note.startswith(
        "In March 2025, the Alabama House of Representatives approved a bill banning"
    )
    assert (
        ROWS[38].text == "Implement state laws that ban possession of firearm conversion devices."
    )


def test_row_68_text_continues_on_the_next_line():
    assert ROWS[68].text.endswith(
        "to leverage intelligence-driven enforcement strategies targeting repeat violent "
        "offenders, utilize federal resources for advanced forensic analysis, firearm tracing, "
        "and enforcement of stricter penalties for violent crimes"
    )


@pytest.mark.parametrize(
    ("number", "start", "status"),
    [
        (69, "Data Integration and Sharing: Develop a secure, centralized", Status.IN_PROGRESS),
        (70, "Enhance protocols for sharing data related to repeat offenders", Status.NO_UPDATE),
        (71, "Outcome Tracking: Implement metrics", Status.NO_UPDATE),
        (72, "Reestablish full access to the BPD incident report portal", Status.IN_PROGRESS),
        (
            73,
            "Establish a formalized process with Alabama Probation and Parole",
            Status.IN_PROGRESS,
        ),
        (74, "Consider developing a digital or automated alert system", Status.IN_PROGRESS),
        (75, "Implement a standard 24-hour hold policy", Status.NO_UPDATE),
        (76, "Designate a liaison within BPD", Status.IN_PROGRESS),
        (77, "Establish an open line of communication", Status.IN_PLANNING),
        (78, "Include Probation and Parole officers in BPD's crime briefings", Status.IN_PROGRESS),
        (79, "Develop a system for sharing crime data", Status.IN_PLANNING),
    ],
)
def test_rows_69_to_79_lost_their_numbers_but_keep_their_order(number, start, status):
    assert ROWS[number].text.startswith(start)
    assert ROWS[number].status == status


def test_row_79_ends_after_the_garbled_line_which_is_skipped():
    assert ROWS[79].text.endswith(
        "ensuring officers can identify trends that may influence supervision strategies."
    )
    assert all("Inderent" not in row.text + row.note for row in ROWS.values())


def test_cells_split_across_lines_join_their_own_row():
    assert ROWS[11].note.endswith("The MCPC meets bi-weekly sharing updates and strategi")
    assert "collaboration and community-driven strategies" in ROWS[11].note
    assert ROWS[55].text.endswith("and enhance cybersecurity.")
    assert ROWS[55].note == "Awarded the 2024 Justice Assistance Grant Applied for the ADECA Grant"
    assert ROWS[53].text.endswith(
        "improve detectives' confidence in presenting evidence. No update available"
    )
    assert ROWS[54].text.startswith("Prosecutor-Led Workshops: Facilitate workshops to align")


def test_development_means_in_development_and_notes_may_be_empty():
    assert ROWS[3].status == Status.IN_DEVELOPMENT
    assert ROWS[13].note == "" and ROWS[13].status == Status.NO_UPDATE


def test_stray_spaces_and_escaped_dollars_are_cleaned():
    assert "$15.8 million" in ROWS[39].note and "\\$" not in ROWS[39].note
    assert all(row.text == row.text.strip() and "  " not in row.text for row in ROWS.values())


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Focused Deterrence: A cornerstone strategy", "Focused Deterrence"),
        ("Expand accountability measures: such as body camera", "Expand accountability measures"),
        (
            "Create a Gun Violence Reduction Strategy (GVRS) to address the root causes of gun "
            "violence. More text follows.",
            "Create a Gun Violence Reduction Strategy (GVRS) to address the root causes of gun "
            "violence",
        ),
        (
            "Implement state laws that ban possession of firearm conversion devices.",
            "Implement state laws that ban possession of firearm conversion devices",
        ),
        (
            "Re- implement the Police Athletic Teams (P.A.T.) and others. Then more.",
            "Re-implement the Police Athletic Teams (P.A.T.) and others",
        ),
        (
            "Reallocate year-end funds for public safety priorities",
            "Reallocate year-end funds for public safety priorities",
        ),
    ],
)
def test_titles_are_the_name_before_a_colon_or_the_whole_first_sentence(text, title):
    assert title_for(text) == title


def test_a_changed_source_fails_loudly_instead_of_guessing():
    with pytest.raises(SourceFormatError):
        parse("1\tText\tNote\tSOMETIMES\n")


def test_import_gives_each_row_one_undated_update_from_the_citys_report(cope_content):
    assert Recommendation.objects.count() == 82
    assert StatusUpdate.objects.count() == 68
    first = Recommendation.objects.get(number=1)
    (update,) = first.updates.all()
    assert (update.source, update.author, update.date) == (SOURCE_REPORT, None, None)
    assert first.status == Status.IN_PROGRESS and first.progress_note == update.note
    assert first.title == "Focused Deterrence"
    missing = Recommendation.objects.get(number=30)
    assert (missing.details_published, missing.status, missing.updates.count()) == (False, "", 0)


def test_a_second_import_changes_nothing_and_keeps_staff_updates(cope_content, admin_user):
    from recommendations.services import record_status_update

    record_status_update(
        recommendation=Recommendation.objects.get(number=13),
        status=Status.IN_PLANNING,
        note="Planning begins.",
        author=admin_user,
    )
    before = (list(Recommendation.objects.values()), list(StatusUpdate.objects.values()))

    call_command("load_cope_content", stdout=StringIO())

    assert (list(Recommendation.objects.values()), list(StatusUpdate.objects.values())) == before
    assert Recommendation.objects.get(number=13).status == Status.IN_PLANNING
