"""Importing the city's next status report: preview, apply all or nothing, never twice."""

import csv
import sys
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from portal.roles import EDITOR
from recommendations import reports
from recommendations.models import Recommendation, Status, StatusUpdate
from recommendations.services import apply_status_report

pytestmark = pytest.mark.django_db
REPORT = (
    "number,status,progress note\n"
    '5,COMPLETED,"The strategy was adopted on March 2."\n'
    "12,IN PLANNING,Planning and development underway\n"  # as it stands: unchanged
    "13,In development,Fellowship design has begun.\n"
)
MARCH = date(2026, 3, 31)


def test_preview_shows_exactly_what_changes_and_saves_nothing(cope_content):
    preview = reports.preview(reports.read_report(REPORT))

    assert [
        (c.recommendation.number, c.old_status_label, c.new_status_label) for c in preview.changes
    ] == [
        (5, "In progress", "Completed"),
        (13, "No update available", "In development"),
    ]
    assert [r.number for r in preview.unchanged] == [12]
    assert StatusUpdate.objects.count() == 68


def test_apply_dates_each_change_with_the_report_and_credits_it(cope_content):
    result = apply_status_report(data=REPORT, report_date=MARCH)

    assert len(result.changes) == 2
    five = Recommendation.objects.get(number=5)
    assert (five.status, five.progress_note, five.status_date) == (
        Status.COMPLETED,
        "The strategy was adopted on March 2.",
        MARCH,
    )
    update = five.updates.first()
    assert update.credit == "City status report of March 31, 2026" and update.author is None
    assert update.previous_status == Status.IN_PROGRESS
    assert Recommendation.objects.get(number=12).updates.count() == 1


def test_importing_the_same_report_twice_changes_nothing_the_second_time(cope_content):
    apply_status_report(data=REPORT, report_date=MARCH)
    count = StatusUpdate.objects.count()

    again = apply_status_report(data=REPORT, report_date=MARCH)

    assert again.changes == [] and len(again.unchanged) == 3
    assert StatusUpdate.objects.count() == count


def test_a_note_only_change_is_a_change(cope_content):
    data = "number,status,progress note\n12,in planning,Budget approved.\n"

    result = apply_status_report(data=data, report_date=MARCH)

    assert [c.status_changes for c in result.changes] == [False]
    assert Recommendation.objects.get(number=12).progress_note == "Budget approved."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (REPORT + "99,COMPLETED,x\n", "Line 5, column 1 (number): “99” is not a recommendation"),
        (REPORT + "abc,COMPLETED,x\n", "Line 5, column 1 (number): “abc” is not"),
        (REPORT + "6,DONE,x\n", "Line 5, column 2 (status): “DONE” is not one of the plan's"),
        (
            REPORT + "5,COMPLETED,again\n",
            "Line 5, column 1 (number): recommendation 5 is already on line 2",
        ),
        (REPORT + "6,COMPLETED,x,extra\n", "Line 5: 4 columns; expected 3"),
        (
            REPORT + "6,COMPLETED," + "x" * 2001 + "\n",
            "Line 5, column 3 (progress note): the note has 2001",
        ),
        ("5,COMPLETED,x\n", "Line 1: the first line must name the columns"),
        ("", "Line 1: the file is empty"),
        ("number,status,progress note\n", "Line 2: the report has no rows"),
        (b"number,status,progress note\n5,COMPLETED,caf\xe9\n", "Line 2: this is not UTF-8 text"),
    ],
)
def test_every_error_names_its_line_and_column_and_nothing_is_saved(cope_content, data, message):
    before = StatusUpdate.objects.count()

    with pytest.raises(reports.ReportError) as error:
        apply_status_report(data=data, report_date=MARCH)

    assert any(m.startswith(message) for m in error.value.messages), error.value.messages
    assert StatusUpdate.objects.count() == before
    assert Recommendation.objects.get(number=5).status == Status.IN_PROGRESS


def test_all_errors_are_listed_at_once(cope_content):
    with pytest.raises(reports.ReportError) as error:
        reports.read_report("number,status,progress note\n99,DONE,x\n5,X,\n")

    assert len(error.value.messages) == 3


def test_command_previews_by_default_and_applies_with_apply(cope_content, tmp_path):
    path = tmp_path / "report.csv"
    path.write_text(REPORT, encoding="utf-8")

    out = StringIO()
    call_command("import_status_report", str(path), "--date", "2026-03-31", stdout=out)
    assert out.getvalue().splitlines() == [
        "5: In progress → Completed",
        "13: No update available → In development",
        "Preview: 2 would change, 1 unchanged. Nothing was changed.",
    ]
    assert StatusUpdate.objects.count() == 68

    out = StringIO()
    call_command("import_status_report", str(path), "--date", "2026-03-31", "--apply", stdout=out)
    assert out.getvalue().splitlines()[-1] == "Applied: 2 changed, 1 unchanged."
    assert StatusUpdate.objects.count() == 70

    out = StringIO()
    call_command("import_status_report", str(path), "--date", "2026-03-31", "--apply", stdout=out)
    assert out.getvalue().splitlines() == ["Applied: 0 changed, 3 unchanged."]


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--date", "31/03/2026"], "is not a date"), (["--date", "2026-03-31"], "Line 3, column 2")],
)
def test_command_errors_are_plain_and_change_nothing(cope_content, tmp_path, args, message):
    path = tmp_path / "report.csv"
    path.write_text("number,status,progress note\n5,COMPLETED,\n6,MAYBE,\n", encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        call_command("import_status_report", str(path), *args, "--apply", stdout=StringIO())
    assert StatusUpdate.objects.count() == 68


@pytest.fixture
def editor_client(client, cope_content):
    editor = User.objects.create_user("ed", password="x" * 16, is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(editor)
    return client


URL = "/staff/recommendations/recommendation/import-report/"


def test_admin_upload_previews_then_applies(editor_client):
    assert URL in editor_client.get("/staff/recommendations/recommendation/").text
    upload = SimpleUploadedFile("report.csv", REPORT.encode(), content_type="text/csv")

    preview = editor_client.post(URL, {"report": upload, "report_date": "2026-03-31"})

    assert preview.status_code == 200
    assert "In progress → <strong>Completed</strong>" in preview.text
    assert "Apply these 2 changes" in preview.text
    assert StatusUpdate.objects.count() == 68
    data = preview.context["confirm"].initial["data"]
    done = editor_client.post(URL, {"apply": "1", "data": data, "report_date": "2026-03-31"})
    assert done.status_code == 302
    assert Recommendation.objects.get(number=5).status == Status.COMPLETED
    assert StatusUpdate.objects.count() == 70


def test_admin_upload_with_errors_is_a_422_naming_lines(editor_client):
    upload = SimpleUploadedFile("r.csv", b"number,status,progress note\n5,DONE,\n")

    response = editor_client.post(URL, {"report": upload, "report_date": "2026-03-31"})

    assert response.status_code == 422
    assert "Line 2, column 2 (status)" in response.text and "Nothing was changed" in response.text
    missing = editor_client.post(URL, {"report_date": "2099-01-01"})
    assert missing.status_code == 422 and "cannot be in the future" in missing.text


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_a_report_reads_the_same_in_any_newline_convention(editor_client, newline):
    upload = SimpleUploadedFile("report.csv", REPORT.replace("\n", newline).encode())

    preview = editor_client.post(URL, {"report": upload, "report_date": "2026-03-31"})

    assert preview.status_code == 200
    assert "Apply these 2 changes" in preview.text


@pytest.mark.parametrize("process_limit", [None, sys.maxsize])
def test_a_note_longer_than_the_csv_modules_limit_is_an_error_naming_its_line(
    editor_client, process_limit
):
    before = csv.field_size_limit()
    if process_limit:  # a library (frictionless, for one) raised the csv module's limit
        csv.field_size_limit(process_limit)
    try:
        response = post_long_note(editor_client)
    finally:
        csv.field_size_limit(before)

    assert response.status_code == 422
    assert "Line 5: a cell is longer than 131,072 characters" in response.text
    assert "a progress note has 2000 at most" in response.text


def post_long_note(editor_client):
    data = REPORT + "6,COMPLETED," + "x" * 200_000 + "\n"
    upload = SimpleUploadedFile("report.csv", data.encode())

    return editor_client.post(URL, {"report": upload, "report_date": "2026-03-31"})


def test_a_large_file_wrong_throughout_stops_after_a_bounded_number_of_errors(editor_client):
    wrong = "".join(f"{1000 + n},DONE,{'x' * 40}\n" for n in range(40_000))  # about 2 MB
    upload = SimpleUploadedFile("report.csv", ("number,status,progress note\n" + wrong).encode())

    response = editor_client.post(URL, {"report": upload, "report_date": "2026-03-31"})

    assert response.status_code == 422
    problems = response.context["problems"]
    assert len(problems) <= reports.MAX_ERRORS + 1
    assert problems[-1].startswith("Line 12: the reading stopped after 20 errors")
    assert StatusUpdate.objects.count() == 68
