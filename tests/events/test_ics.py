"""The calendars: valid iCalendar that the library parses back, in Birmingham time, stable UIDs."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
SEED_EVENT = "safety-plan-feedback-session-2025-03-19"


def parsed(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_event_ics_has_the_seed_times_in_chicago_time_and_a_timezone(client, cope_content):
    cal = parsed(client.get(f"/events/{SEED_EVENT}.ics"))

    (event,) = cal.walk("VEVENT")
    assert event["DTSTART"].dt == datetime(2025, 3, 19, 16, 0, tzinfo=CHICAGO)
    assert event["DTEND"].dt == datetime(2025, 3, 19, 18, 0, tzinfo=CHICAGO)
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["America/Chicago"]
    assert event["DTSTAMP"].dt.tzinfo is not None
    assert str(event["LOCATION"]) == "Birmingham Crossplex, 2340 Crossplex Blvd"
    assert str(event["URL"]).endswith(f"/events/{SEED_EVENT}/")
    assert cal["VERSION"] == "2.0" and cal["PRODID"]


def test_uids_stay_the_same_across_requests_and_content_loads(client, cope_content, make_event):
    make_event(slug="walk-ensley")
    first = parsed(client.get(f"/events/{SEED_EVENT}.ics")).walk("VEVENT")[0]
    call_command("load_cope_content", stdout=StringIO())
    again = parsed(client.get(f"/events/{SEED_EVENT}.ics")).walk("VEVENT")[0]
    listed = parsed(client.get("/events/calendar.ics")).walk("VEVENT")[0]
    single = parsed(client.get("/events/walk-ensley.ics")).walk("VEVENT")[0]

    assert str(first["UID"]) == str(again["UID"])
    assert first["DTSTAMP"].dt == again["DTSTAMP"].dt
    host = settings.SITE_URL.split("://", 1)[-1].split("/")[0].split(":")[0]
    assert str(listed["UID"]) == str(single["UID"]) == f"event-walk-ensley@{host}"


def test_calendar_holds_the_next_year_and_the_last_month(client, make_event, time_machine):
    time_machine.move_to("2026-06-15 12:00:00-05:00")
    now = timezone.now()
    for slug, days_ago in [("next-week", -7), ("last-month", 30), ("in-eleven-months", -335)]:
        make_event(slug=slug, starts_at=now - timedelta(days=days_ago))
    make_event(slug="two-months-ago", starts_at=now - timedelta(days=60))
    make_event(slug="in-thirteen-months", starts_at=now + timedelta(days=395))

    events = parsed(client.get("/events/calendar.ics")).walk("VEVENT")

    slugs = [str(e["UID"]).split("@")[0].removeprefix("event-") for e in events]
    assert slugs == ["last-month", "next-week", "in-eleven-months"]
    assert client.get("/events/two-months-ago.ics").status_code == 200  # older: their own


def test_calendar_has_published_events_only_and_marks_cancelled_ones(client, make_event):
    make_event(title="Walk in Ensley", slug="walk-ensley")
    make_event(title="Cancelled walk", slug="walk-cancelled", is_cancelled=True)
    make_event(title="Draft walk", slug="walk-draft", is_published=False)

    events = parsed(client.get("/events/calendar.ics")).walk("VEVENT")

    by_uid = {str(e["UID"]).split("@")[0]: e for e in events}
    assert set(by_uid) == {"event-walk-ensley", "event-walk-cancelled"}
    assert by_uid["event-walk-cancelled"]["STATUS"] == "CANCELLED"
    assert str(by_uid["event-walk-cancelled"]["SUMMARY"]).startswith("Cancelled: ")
    assert by_uid["event-walk-ensley"]["STATUS"] == "CONFIRMED"


def test_empty_calendar_is_still_valid(client, db):
    """RFC 5545 §3.6: at least one component; the site's time zone is the one it holds."""
    cal = parsed(client.get("/events/calendar.ics"))

    assert cal.walk("VEVENT") == []
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["America/Chicago"]
    assert cal.subcomponents


def test_draft_event_ics_is_404_for_the_public(client, make_event):
    make_event(slug="draft", is_published=False)

    assert client.get("/events/draft.ics").status_code == 404
