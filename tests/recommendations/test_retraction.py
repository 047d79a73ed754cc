"""Corrections: a retracted update stays in the history, struck through; the status follows."""

import csv
import io
import json
from datetime import date

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from recommendations.models import Recommendation, Status, StatusUpdate
from recommendations.services import record_status_update, retract_status_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def mistake(cope_content, admin_user):
    """Recommendation 5 (In progress in the report) wrongly marked Completed by staff."""
    return record_status_update(
        recommendation=Recommendation.objects.get(number=5),
        status=Status.COMPLETED,
        note="Posted on the wrong recommendation.",
        author=admin_user,
        date=date(2026, 3, 4),
    )


def test_retraction_recomputes_the_status_from_the_latest_update_in_force(mistake, admin_user):
    retract_status_update(update=mistake, reason="Meant for 6.", author=admin_user)

    rec = Recommendation.objects.get(number=5)
    assert rec.status == Status.IN_PROGRESS
    assert rec.progress_note.startswith("Community feedback sessions taking place")
    assert rec.status_date is None
    mistake.refresh_from_db()
    assert mistake.retracted_at is not None and mistake.retraction_reason == "Meant for 6."
    assert mistake.retracted_by == admin_user
    assert StatusUpdate.objects.filter(pk=mistake.pk).exists()  # nothing is deleted


def test_retracting_the_only_update_leaves_no_status(cope_content, admin_user):
    only = Recommendation.objects.get(number=30).updates
    update = record_status_update(
        recommendation=Recommendation.objects.get(number=30),
        status=Status.IN_PLANNING,
        note="Wrong row.",
        author=admin_user,
    )

    retract_status_update(update=update, reason="No such update.", author=admin_user)

    rec = Recommendation.objects.get(number=30)
    assert (rec.status, rec.progress_note, rec.last_updated_at) == ("", "", None)
    assert only.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reason": "  "}, "Say why the update is retracted"),
        ({"reason": "x" * 501}, "500 characters at most"),
        ({"twice": True}, "already been retracted"),
        ({"internal": True}, "Only a public update"),
    ],
)
def test_a_retraction_needs_a_reason_and_happens_once(mistake, admin_user, change, message):
    update = mistake
    if change.get("internal"):
        update = record_status_update(
            recommendation=mistake.recommendation,
            status=Status.IN_PLANNING,
            note="Draft",
            author=admin_user,
            public=False,
        )
    if change.get("twice"):
        retract_status_update(update=update, reason="First.", author=admin_user)

    with pytest.raises(ValidationError) as error:
        retract_status_update(update=update, reason=change.get("reason", "Why"), author=admin_user)

    assert message in " ".join(error.value.messages)
    assert Recommendation.objects.get(number=5).status == (
        Status.IN_PROGRESS if change.get("twice") else Status.COMPLETED
    )


def test_public_pages_show_the_retracted_update_struck_through_with_reason(
    client, mistake, admin_user
):
    retract_status_update(update=mistake, reason="Meant for 6.", author=admin_user)

    for url in ["/safety-plan/5/", "/safety-plan/changes/"]:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        entry = soup.find(id=f"update-{mistake.pk}") or soup.find(id=f"change-{mistake.pk}")
        assert "retracted" in entry["class"]
        assert entry.find("s").find(string=lambda s: "Completed" in s)
        text = " ".join(entry.get_text(" ").split())
        assert "Retracted on" in text and "by COPE staff: Meant for 6." in text
        assert admin_user.username not in text
    detail = BeautifulSoup(client.get("/safety-plan/5/").content, "html.parser")
    assert detail.find("h1").find_next("p").select_one(".status").get_text() == "In progress"


def test_feed_entry_is_updated_in_place(client, mistake, admin_user):
    before = feedparser.parse(client.get("/safety-plan/feed/").content).entries[0]

    retract_status_update(update=mistake, reason="Meant for 6.", author=admin_user)
    after = feedparser.parse(client.get("/safety-plan/feed/").content).entries[0]

    assert after.id == before.id
    assert after.updated_parsed > before.updated_parsed or after.updated != before.updated
    assert after.title.startswith("Retracted: 5.")
    assert "Meant for 6." in after.summary


def test_exports_carry_the_retraction(client, mistake, admin_user):
    retract_status_update(update=mistake, reason="Meant for 6.", author=admin_user)

    download = client.get("/safety-plan/status-updates.json").getvalue()
    updates = json.loads(download)["status_updates"]
    row = [u for u in updates if u["recommendation"] == 5][-1]
    assert row["retraction_reason"] == "Meant for 6." and row["retracted_at"].startswith("20")
    table = csv.DictReader(
        io.StringIO(client.get("/safety-plan/status-updates.csv").getvalue().decode("utf-8-sig"))
    )
    assert "retracted_at" in table.fieldnames and "retraction_reason" in table.fieldnames
    assert [r for r in table if r["recommendation"] == "5"][-1]["retraction_reason"] == (
        "Meant for 6."
    )


def test_editor_retracts_from_the_recommendations_admin_page(client, mistake):
    from django.contrib.auth.models import Group, User

    from portal.roles import EDITOR

    editor = User.objects.create_user("ed", password="x" * 16, is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(editor)
    rec = mistake.recommendation
    page = client.get(f"/staff/recommendations/recommendation/{rec.pk}/change/").text
    url = f"/staff/recommendations/recommendation/{rec.pk}/retract/{mistake.pk}/"
    assert f'href="{url}"' in page

    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 422 and "Say why the update is retracted" in empty.text
    assert Recommendation.objects.get(pk=rec.pk).status == Status.COMPLETED

    done = client.post(url, {"reason": "Meant for 6."})
    assert done.status_code == 302
    assert Recommendation.objects.get(pk=rec.pk).status == Status.IN_PROGRESS
    assert "Retracted" in client.get(done["Location"]).text
