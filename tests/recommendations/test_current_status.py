"""The tracker stays true over a real sequence of events (issue 25): imports dated before or
after what is there, a lost row filled by import, a note-only update, a late retraction polled
with ?since=. Each test plays the sequence that exposed the finding, on a frozen clock."""

import csv
import io
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import feedparser
import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations import reports
from recommendations.models import Recommendation, Status, StatusUpdate
from recommendations.services import (
    apply_status_report,
    record_status_update,
    retract_status_update,
)

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
TODAY = datetime(2026, 12, 2, 15, 0, tzinfo=CHICAGO)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def report(*rows):
    lines = ["number,status,progress note", *(",".join(map(str, row)) for row in rows)]
    return "\n".join(lines) + "\n"


def everyone_says(client, number) -> dict:
    """The status of one recommendation, as each reader of the site gives it."""
    rec = Recommendation.objects.get(number=number)
    tracker = soup_of(client.get("/safety-plan/"))
    card = tracker.find("h3", id=f"rec-{number}").find_parent("article")
    detail = soup_of(client.get(f"/safety-plan/{number}/"))
    csv_rows = csv.DictReader(
        io.StringIO(b"".join(client.get("/safety-plan/recommendations.csv")).decode("utf-8-sig"))
    )
    data = json.loads(b"".join(client.get("/safety-plan/recommendations.json")))
    label = Status(rec.status).label
    filtered = soup_of(client.get(f"/safety-plan/?status={rec.status}"))
    return {
        "stored": rec.status,
        "computed": Recommendation.objects.with_current_status().get(number=number).current_status,
        "tracker": card.select_one(".status").get_text(strip=True) == label,
        "filter": bool(filtered.find("h3", id=f"rec-{number}")),
        "detail": detail.select_one("main .status").get_text(strip=True) == label,
        "csv": next(row["status_code"] for row in csv_rows if row["number"] == str(number)),
        "json": next(r["status_code"] for r in data["recommendations"] if r["number"] == number),
    }


def progress_latest(client) -> dict:
    soup = soup_of(client.get("/safety-plan/progress/"))
    last = soup.select("table tbody tr")[-1]
    return {td["data-label"]: int(td.get_text()) for td in last("td")}


# Finding 2: one rule for the current status ------------------------------------------------


def test_a_backdated_import_does_not_override_a_later_update_and_every_reader_agrees(
    client, cope_content, admin_user
):
    rec = Recommendation.objects.get(number=38)
    record_status_update(
        recommendation=rec, status=Status.COMPLETED, note="Done.", author=admin_user
    )  # dated today, December 2
    apply_status_report(
        data=report((38, "IN PROGRESS", "Still going."), (20, "COMPLETED", "Finished.")),
        report_date=date(2026, 11, 30),
    )

    says = everyone_says(client, 38)
    assert says == {
        "stored": Status.COMPLETED,
        "computed": Status.COMPLETED,
        "tracker": True,
        "filter": True,
        "detail": True,
        "csv": Status.COMPLETED,
        "json": Status.COMPLETED,
    }
    assert everyone_says(client, 20)["computed"] == Status.COMPLETED
    assert progress_latest(client)["Completed"] == 2
    headline = soup_of(client.get("/safety-plan/")).select_one(".headline").get_text(" ")
    assert "2 of 82 recommendations completed" in " ".join(headline.split())
    # the history and the change log put December 2 above November 30 ("newest first")
    history = soup_of(client.get("/safety-plan/38/")).select("ol.history > li")
    assert "Done." in history[0].get_text() and "Still going." in history[1].get_text()
    entries = soup_of(client.get("/safety-plan/changes/")).select("ol.changes > li")
    assert "December 2, 2026" in entries[0].get_text()
    assert "November 30, 2026" in entries[1].get_text()
    assert "recorded December 2, 2026" in " ".join(entries[1].get_text(" ").split())
    assert "recorded" not in entries[0].select_one(".muted").get_text()


def test_a_later_dated_import_takes_over_whatever_was_recorded_last(
    client, cope_content, admin_user
):
    rec = Recommendation.objects.get(number=38)
    record_status_update(
        recommendation=rec,
        status=Status.COMPLETED,
        note="Done.",
        author=admin_user,
        date=date(2026, 11, 1),
    )
    apply_status_report(
        data=report((38, "IN PROGRESS", "Reopened.")), report_date=date(2026, 11, 30)
    )

    assert set(everyone_says(client, 38).values()) == {Status.IN_PROGRESS, True}
    assert progress_latest(client)["Completed"] == 0


def test_a_future_dated_report_is_refused_and_nothing_changes(client, cope_content, tmp_path):
    before = list(Recommendation.objects.values_list("status", flat=True))
    with pytest.raises(reports.ReportError, match="cannot be after today"):
        apply_status_report(data=report((38, "COMPLETED", "")), report_date=date(2026, 12, 3))

    path = tmp_path / "report.csv"
    path.write_text(report((38, "COMPLETED", "")))
    with pytest.raises(CommandError, match="cannot be after today"):
        call_command("import_status_report", str(path), "--date", "2026-12-03", "--apply")

    assert list(Recommendation.objects.values_list("status", flat=True)) == before
    assert not StatusUpdate.objects.filter(date__gt=date(2026, 12, 2)).exists()


# Finding 1: the change log lists changes ----------------------------------------------------


def test_the_starting_report_is_a_starting_point_not_68_changes(client, cope_content):
    log = soup_of(client.get("/safety-plan/changes/"))
    assert log.select_one("#changes-heading").get_text(strip=True) == "0 changes"
    assert not log.select("ol.changes > li")
    starting = " ".join(log.select_one(".starting-point").get_text(" ").split())
    assert starting.startswith("Starting point: the city's status report, undated: ")
    assert "22 in progress" in starting and "25 no update available" in starting

    home = soup_of(client.get("/"))
    assert not home.select("ol.changes > li")
    assert "Starting point" in home.select_one(".starting-point").get_text()

    feed = feedparser.parse(client.get("/safety-plan/feed/").content)
    assert feed.entries == []
    assert "Starting point: the city's status report, undated: " in feed.feed.subtitle


# Finding 3: rows 24-37 follow their data ----------------------------------------------------


def test_row_25_filled_by_import_leaves_the_missing_group_and_every_count_agrees(
    client, cope_content
):
    apply_status_report(data=report((25, "In planning", "Scoping.")), report_date=date(2026, 12, 1))

    tracker = soup_of(client.get("/safety-plan/"))
    groups = [h.get_text(" ", strip=True) for h in tracker.select("li.lost h3")]
    assert groups == [
        "Recommendation 24: details missing from the copy",
        "Recommendations 26 to 37: details missing from the copy",
    ]
    assert (
        tracker.find("h3", id="rec-25")
        .find_parent("article")
        .select_one(".status")
        .get_text(strip=True)
        == "In planning"
    )
    headline = " ".join(tracker.select_one(".headline").get_text(" ").split())
    assert "13 are missing from the copy" in headline
    detail = " ".join(soup_of(client.get("/safety-plan/25/")).main.get_text(" ").split())
    assert "In planning" in detail and "Its status comes from the history below" in detail
    assert "will add its text and status" not in detail


# Finding 4: a note-only update keeps the status ----------------------------------------------


def test_a_note_only_update_keeps_the_status_and_logs_no_move(client, cope_content, editor):
    rec = Recommendation.objects.get(number=38)
    client.force_login(editor)

    response = client.post(
        f"/staff/recommendations/recommendation/{rec.pk}/post/",
        {"status": rec.status, "note": "Budget approved.", "public": "on"},
    )

    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == Status.IN_PROGRESS and rec.progress_note == "Budget approved."
    entry = soup_of(client.get("/safety-plan/changes/")).select_one("ol.changes > li")
    badges = [b.get_text(strip=True) for b in entry.select(".change-status .status")]
    assert badges == ["In progress", "In progress"] and "Budget approved." in entry.get_text()


# Finding 5: one meaning of ?since= ---------------------------------------------------------


def test_a_late_retraction_of_an_old_update_reaches_every_poll_since_today(
    client, cope_content, admin_user
):
    rec = Recommendation.objects.get(number=38)
    with time_machine.travel(datetime(2025, 6, 2, 10, tzinfo=CHICAGO), tick=False):
        old = record_status_update(
            recommendation=rec, status=Status.COMPLETED, note="Done.", author=admin_user
        )
    record_status_update(
        recommendation=Recommendation.objects.get(number=39),
        status=Status.COMPLETED,
        note="Dated earlier, recorded today.",
        author=admin_user,
        date=date(2026, 10, 1),
    )
    retract_status_update(update=old, reason="Posted on the wrong one.", author=admin_user)

    since = "?since=2026-12-02"
    page = soup_of(client.get("/safety-plan/changes/" + since))
    texts = [" ".join(li.get_text(" ").split()) for li in page.select("ol.changes > li")]
    assert len(texts) == 2
    assert any("Retracted on December 2, 2026" in text for text in texts)
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(client.get("/safety-plan/status-updates.csv" + since)).decode("utf-8-sig")
            )
        )
    )
    data = json.loads(b"".join(client.get("/safety-plan/status-updates.json" + since)))
    feed = feedparser.parse(client.get("/safety-plan/feed/" + since).content)
    assert len(rows) == len(data["status_updates"]) == len(feed.entries) == 2
    assert {row["retraction_reason"] for row in rows} == {"", "Posted on the wrong one."}
    assert any(entry.title.startswith("Retracted:") for entry in feed.entries)
    # the day after, nothing new: a poller misses nothing and sees nothing twice
    assert not soup_of(client.get("/safety-plan/changes/?since=2026-12-03")).select(
        "ol.changes > li"
    )


# Issue 24: the progress page with Django's debug cursor on SQLite ----------------------------


def test_progress_renders_with_the_debug_cursor_on(client, cope_content, admin_user, settings):
    record_status_update(
        recommendation=Recommendation.objects.get(number=13),
        status=Status.COMPLETED,
        note="Done.",
        author=admin_user,
        date=date(2026, 3, 2),
    )
    cache.clear()  # the table is computed, not read from a kept copy
    settings.DEBUG = True
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/safety-plan/progress/")

    assert response.status_code == 200
    assert any("LEAD(" in query["sql"] for query in queries.captured_queries)
