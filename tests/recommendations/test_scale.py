"""Ten years of history: the admin, the downloads and the pages stay the same size and queries."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.http import StreamingHttpResponse
from django.utils import timezone

from portal.roles import EDITOR
from recommendations.models import Recommendation, Status, StatusUpdate
from recommendations.services import record_status_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(cope_content):
    user = User.objects.create_user("editor", password="x" * 16, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    return user


def add_history(rec, count, *, author=None, note="Budget review, step {n}.", days_ago=0):
    """`count` public updates on `rec`, the newest recorded `days_ago` days ago."""
    updates = StatusUpdate.objects.bulk_create(
        StatusUpdate(
            recommendation=rec,
            status=Status.IN_PROGRESS,
            note=note.format(n=n),
            author=author,
            date=timezone.localdate(),
        )
        for n in range(count)
    )
    recorded = timezone.now() - timedelta(days=days_ago)
    for n, update in enumerate(updates):
        StatusUpdate.objects.filter(pk=update.pk).update(
            recorded_at=recorded - timedelta(minutes=count - n)
        )
    return updates


def queries_of(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def body(response) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def test_change_page_runs_the_same_queries_with_5_or_50_updates_and_links_the_rest(client, editor):
    rec = Recommendation.objects.get(number=38)
    url = f"/staff/recommendations/recommendation/{rec.pk}/change/"
    client.force_login(editor)
    add_history(rec, 5, author=editor)
    with_5 = queries_of(client, url)

    add_history(rec, 45, author=editor)
    with_50 = queries_of(client, url)
    response = client.get(url)

    assert with_5 == with_50
    assert len(re.findall(r'name="updates-\d+-id" value="\d+"', response.text)) == 10
    assert f"/staff/recommendations/statusupdate/?recommendation__id__exact={rec.pk}" in (
        response.text
    )
    full = client.get(f"/staff/recommendations/statusupdate/?recommendation__id__exact={rec.pk}")
    assert full.status_code == 200 and f"{rec.updates.count()} status updates" in full.text


def test_posting_from_the_change_page_still_works_with_a_long_history(client, editor):
    rec = Recommendation.objects.get(number=38)
    add_history(rec, 30, author=editor)
    client.force_login(editor)
    shown = list(rec.updates.order_by("-recorded_at", "-pk")[:10])
    data = {
        "title": rec.title,
        "text": rec.text,
        "focus_area": "",
        "details_published": "on",
        "updates-TOTAL_FORMS": "11",
        "updates-INITIAL_FORMS": "10",
        "updates-MIN_NUM_FORMS": "0",
        "updates-MAX_NUM_FORMS": "1000",
        "updates-10-recommendation": str(rec.pk),
        "updates-10-status": Status.COMPLETED,
        "updates-10-note": "Done.",
        "updates-10-public": "on",
    }
    for index, old in enumerate(shown):
        data[f"updates-{index}-id"] = str(old.pk)
        data[f"updates-{index}-recommendation"] = str(rec.pk)
    add_history(rec, 1, author=editor, note="Posted meanwhile {n}.")  # pushes one out
    before = rec.updates.count()

    response = client.post(f"/staff/recommendations/recommendation/{rec.pk}/change/", data)

    assert response.status_code == 302
    assert rec.updates.count() == before + 1 and rec.updates.filter(note="Done.").count() == 1


def test_status_update_list_and_its_search_run_the_same_queries_with_5_or_50_rows(client, editor):
    rec = Recommendation.objects.get(number=12)
    client.force_login(editor)
    add_history(rec, 5, author=editor)
    few = [
        queries_of(client, url)
        for url in [
            "/staff/recommendations/statusupdate/",
            "/staff/recommendations/statusupdate/?q=budget",
        ]
    ]
    add_history(rec, 45, author=editor)
    many = [
        queries_of(client, url)
        for url in [
            "/staff/recommendations/statusupdate/",
            "/staff/recommendations/statusupdate/?q=budget",
        ]
    ]
    searched = client.get("/staff/recommendations/statusupdate/?q=budget")

    assert few == many
    assert "Searches the notes" in searched.text and "50 status updates" in searched.text


def test_status_update_list_counts_up_to_a_limit_and_filters_by_known_sources(
    client, editor, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.admin import CountUpToPaginator

    monkeypatch.setattr(CountUpToPaginator, "COUNT_UP_TO", 20)
    client.force_login(editor)
    add_history(Recommendation.objects.get(number=12), 30, author=editor)

    with CaptureQueriesContext(connection) as captured:
        searched = client.get("/staff/recommendations/statusupdate/?q=budget")
    from_staff = client.get("/staff/recommendations/statusupdate/?from=staff")
    from_first_report = client.get("/staff/recommendations/statusupdate/?from=first-report")

    assert "More than 20 results" in searched.text and "More than 20 status updates" in (
        searched.text
    )
    assert not any("DISTINCT" in query["sql"].upper() for query in captured)
    assert from_staff.status_code == from_first_report.status_code == 200
    assert "More than 20 status updates" in from_staff.text  # the 30 posted by staff
    assert "COPE staff" not in from_first_report.context["cl"].queryset.values_list(
        "source", flat=True
    )


def test_status_update_downloads_stream_valid_files_then_serve_them_built(client, cope_content):
    add_history(Recommendation.objects.get(number=5), 30)

    first_csv = client.get("/safety-plan/status-updates.csv")
    first_json = client.get("/safety-plan/status-updates.json")
    assert not first_csv.has_header("Content-Length")  # streamed as read, no body built first
    csv_body, json_body = body(first_csv), body(first_json)
    again = client.get("/safety-plan/status-updates.csv")

    rows = list(csv.DictReader(io.StringIO(csv_body.decode("utf-8-sig"))))
    data = json.loads(json_body)
    assert len(rows) == len(data["status_updates"]) == 68 + 30
    assert (
        list(rows[0])
        == list(data["status_updates"][0])
        == [
            "id",
            "recommendation",
            "status",
            "status_code",
            "note",
            "date",
            "source",
            "recorded_at",
            "url",
            "source_text",
            "retracted_at",
            "retraction_reason",
        ]
    )
    assert data["source"].startswith("Birmingham Police Department COPE Division")
    assert body(again) == csv_body
    assert "attachment" in again["Content-Disposition"]
    assert again["Content-Type"] == "text/csv; charset=utf-8"


def test_a_new_update_is_in_the_next_download(
    client, cope_content, admin_user, django_capture_on_commit_callbacks
):
    body(client.get("/safety-plan/status-updates.json"))
    with django_capture_on_commit_callbacks(execute=True):
        record_status_update(
            recommendation=Recommendation.objects.get(number=2),
            status=Status.IN_PROGRESS,
            note="Launched in 2026.",
            author=admin_user,
        )

    data = json.loads(body(client.get("/safety-plan/status-updates.json")))

    assert "Launched in 2026." in [row["note"] for row in data["status_updates"]]


def test_since_keeps_the_updates_recorded_from_that_day(client, cope_content):
    rec = Recommendation.objects.get(number=7)
    add_history(rec, 3, note="Old {n}.", days_ago=40)
    add_history(rec, 2, note="Recent {n}.", days_ago=2)
    StatusUpdate.objects.exclude(note__startswith="Recent").update(
        recorded_at=timezone.now() - timedelta(days=60)
    )
    since = (timezone.localdate() - timedelta(days=10)).isoformat()

    rows = list(
        csv.DictReader(
            io.StringIO(
                body(client.get(f"/safety-plan/status-updates.csv?since={since}")).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    data = json.loads(body(client.get(f"/safety-plan/status-updates.json?since={since}")))

    assert [r["note"] for r in rows] == ["Recent 0.", "Recent 1."]
    assert [r["note"] for r in data["status_updates"]] == ["Recent 0.", "Recent 1."]


@pytest.mark.parametrize(
    "since", ["yesterday", "2025-13-01", "2025-1-1", "20250101", "2025-W05-1", "٢٠٢٥-٠١-٠١"]
)
def test_a_since_that_is_not_a_date_is_a_400_that_says_how_to_write_it(client, db, since):
    for url in ["/safety-plan/status-updates.csv", "/safety-plan/status-updates.json"]:
        response = client.get(url, {"since": since})

        assert response.status_code == 400
        assert "YYYY-MM-DD" in response.content.decode()


def test_recommendation_page_shows_the_latest_20_and_links_the_paginated_full_history(
    client, cope_content, django_assert_num_queries
):
    rec = Recommendation.objects.get(number=38)
    StatusUpdate.objects.filter(recommendation=rec).delete()
    add_history(rec, 120)

    with django_assert_num_queries(4):
        page = client.get("/safety-plan/38/")
    with django_assert_num_queries(3):  # the glossary now read from the shared cache
        first = client.get("/safety-plan/38/history/")
    last = client.get("/safety-plan/38/history/?page=3")
    beyond = client.get("/safety-plan/38/history/?page=abc")

    assert page.text.count('id="update-') == 20
    assert "Budget review, step 119." in page.text and "step 99." not in page.text
    assert 'href="/safety-plan/38/history/"' in page.text
    assert first.text.count('id="update-') == 50 and "Page 1 of 3" in first.text
    assert last.text.count('id="update-') == 20 and "Budget review, step 0." in last.text
    assert beyond.status_code == 200 and "Page 1 of 3" in beyond.text


def test_full_history_of_a_number_outside_the_plan_is_404(client, db):
    assert client.get("/safety-plan/83/history/").status_code == 404


def test_every_page_of_the_change_log_lists_the_history_in_order_once(client, cope_content):
    """Pages past the middle are read from the far end (views.seek_page): the same order."""
    from recommendations.views import CHANGES_PER_PAGE

    add_history(Recommendation.objects.get(number=7), 2 * CHANGES_PER_PAGE + 3, note="Step {n}.")
    expected = [
        f"change-{pk}" for pk in StatusUpdate.objects.changes_since().values_list("pk", flat=True)
    ]

    listed = []
    for number in (1, 2, 3):
        page = client.get(f"/safety-plan/changes/?page={number}").text
        listed += re.findall(r'<li id="(change-\d+)"', page)

    assert listed == expected and len(listed) == 2 * CHANGES_PER_PAGE + 3
