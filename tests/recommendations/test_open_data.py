"""Open data: CSV and JSON downloads that agree, safe in spreadsheets, and valid Atom feeds."""

import csv
import io
import json

import feedparser
import pytest
from factories import StatusUpdateFactory

from recommendations import exports
from recommendations.models import Recommendation, Status
from recommendations.services import record_status_update

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def test_recommendations_csv_and_json_carry_the_same_rows(client, cope_content):
    csv_response = client.get("/safety-plan/recommendations.csv")
    json_response = client.get("/safety-plan/recommendations.json")

    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="cope-safety-plan-recommendations-20' in csv_response["Content-Disposition"]
    rows = csv_rows(csv_response)
    data = json.loads(json_response.getvalue())["recommendations"]
    assert len(rows) == len(data) == 82
    for row, item in zip(rows, data, strict=True):
        assert row == {
            key: ("" if v is None else "True" if v is True else "False" if v is False else str(v))
            for key, v in item.items()
        }
    first = data[0]
    assert first["number"] == 1 and first["status"] == "In progress"
    assert first["status_code"] == "in-progress" and first["url"].endswith("/safety-plan/1/")
    assert data[29]["details_published"] is False
    assert data[29]["status"] is None and data[29]["status_code"] is None  # null, not ""
    assert "" not in [value for item in data for value in item.values()]
    assert list(rows[0]) == exports.RECOMMENDATION_FIELDS


@pytest.fixture
def launch_posted(cope_content):
    """Staff post that recommendation 2 is launched."""
    return StatusUpdateFactory(
        recommendation=Recommendation.objects.get(number=2),
        status=Status.IN_PROGRESS,
        note="Launched.",
    )


def test_status_updates_csv_and_json_carry_the_public_history(client, launch_posted):
    rows = csv_rows(client.get("/safety-plan/status-updates.csv"))
    data = json.loads(client.get("/safety-plan/status-updates.json").getvalue())["status_updates"]

    assert len(rows) == len(data) == 69
    assert [r["note"] for r in rows] == [d["note"] or "" for d in data]
    assert list(rows[0]) == exports.STATUS_UPDATE_FIELDS and exports.STATUS_UPDATE_FIELDS[0] == "id"
    ids = [d["id"] for d in data]
    assert len(set(ids)) == len(ids) and [r["id"] for r in rows] == [str(i) for i in ids]
    assert all(d["url"].endswith(f"#update-{d['id']}") for d in data)  # the key, in the address
    assert "" not in [value for item in data for value in item.values()]
    assert data[0]["retracted_at"] is None and data[0]["retraction_reason"] is None
    launched = next(d for d in data if d["note"] == "Launched.")
    assert launched["source"] == "COPE staff" and launched["date"]
    assert launch_posted.author.username not in json.dumps(data)


@pytest.mark.parametrize("payload", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR"])
def test_every_csv_cell_is_neutralized_against_formula_injection(
    client, cope_content, admin_user, payload
):
    rec = Recommendation.objects.get(number=20)
    Recommendation.objects.filter(pk=rec.pk).update(title=payload, text=payload)
    StatusUpdateFactory(
        recommendation=rec, status=Status.IN_PLANNING, note=payload, author=admin_user
    )

    for url in ["/safety-plan/recommendations.csv", "/safety-plan/status-updates.csv"]:
        content = client.get(url).getvalue().decode("utf-8-sig")
        cells = [cell for row in csv.reader(io.StringIO(content)) for cell in row]
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
        if url.startswith("/safety-plan/recommendations"):
            assert "'" + payload in cells  # the title and text as typed, made inert
        elif payload.strip() == payload:
            assert "'" + payload in cells  # the note (staff notes are trimmed of blanks)


def test_plan_feed_is_valid_atom_with_stable_ids(client, launch_posted):
    first = feedparser.parse(client.get("/safety-plan/feed/").content)
    second = feedparser.parse(client.get("/safety-plan/feed/").content)

    assert first.version == "atom10" and not first.bozo
    assert first.entries[0].title.startswith("2. Community Violence Intervention")
    assert first.entries[0].summary == "Launched."
    assert first.entries[0].author == "COPE staff"
    assert [e.id for e in first.entries] == [e.id for e in second.entries]
    assert all(e.id.startswith("tag:") and e.updated for e in first.entries)


def test_each_recommendation_has_its_own_feed(client, cope_content, admin_user):
    assert feedparser.parse(client.get("/safety-plan/38/feed/").content).entries == []  # start
    record_status_update(
        recommendation=Recommendation.objects.get(number=38),
        status=Status.COMPLETED,
        note="Done.",
        author=admin_user,
    )
    feed = feedparser.parse(client.get("/safety-plan/38/feed/").content)

    assert feed.version == "atom10" and not feed.bozo
    assert len(feed.entries) == 1
    assert feed.entries[0].link.endswith(
        "/safety-plan/38/#update-" + feed.entries[0].link.split("-")[-1]
    )
    assert client.get("/safety-plan/30/feed/").status_code == 200
    assert client.get("/safety-plan/99/feed/").status_code == 404
