"""The seed-derived event and news posts: loaded once, credited, never overwriting staff edits."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from events.models import Event, NewsPost

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_cope_content", stdout=out)
    return out.getvalue()


def test_seed_feedback_session_is_loaded_with_its_facts_and_recommendation(cope_content):
    event = Event.objects.get(slug="safety-plan-feedback-session-2025-03-19")

    chicago = ZoneInfo("America/Chicago")
    assert event.starts_at == datetime(2025, 3, 19, 16, tzinfo=chicago)
    assert event.ends_at == datetime(2025, 3, 19, 18, tzinfo=chicago)
    assert (event.place, event.address) == ("Birmingham Crossplex", "2340 Crossplex Blvd")
    assert "Virtual option available" in event.description
    assert "birminghamal.gov/csi" in event.description
    assert [r.number for r in event.recommendations.all()] == [5]
    assert event.is_published and not event.is_cancelled


def test_seed_news_is_credited_by_name_without_an_invented_link(cope_content):
    walk = NewsPost.objects.get(slug="community-walk-east-birmingham-2016")
    task_force = NewsPost.objects.get(slug="birmingham-safe-neighborhoods-task-force")

    assert walk.date == date(2016, 7, 13) and walk.source_name == "WBRC"
    assert "Oporto-Madrid Boulevard" in walk.body
    assert task_force.source_name == "U.S. Attorney's Office"
    assert "CBS 42" in task_force.date_note  # the seed dates only the video
    assert walk.source_url == task_force.source_url == ""


def test_second_load_changes_nothing_and_keeps_staff_edits(cope_content):
    Event.objects.filter(slug="safety-plan-feedback-session-2025-03-19").update(
        title="Edited by staff"
    )
    before = (
        list(Event.objects.values().order_by("pk")),
        list(NewsPost.objects.values().order_by("pk")),
    )

    output = load()

    after = (
        list(Event.objects.values().order_by("pk")),
        list(NewsPost.objects.values().order_by("pk")),
    )
    assert after == before
    assert "0 events and 0 news posts added" in output
