"""The events calendar as people subscribe to it, and each event as people add it."""

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from dateutil import rrule
from django.utils import timezone
from icalendar import Calendar

from events.models import Event

pytestmark = pytest.mark.django_db


def vevents(response):
    assert response.status_code == 200
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_the_events_page_offers_a_webcal_subscription_and_the_address_to_copy(client, db):
    page = client.get("/events/").text

    assert 'href="webcal://testserver/events/calendar.ics"' in page
    assert "<code>http://testserver/events/calendar.ics</code>" in page


def test_the_subscription_is_read_not_downloaded_and_asks_to_be_refreshed(client, make_event):
    make_event(slug="walk")
    response = client.get("/events/calendar.ics")

    assert not response["Content-Disposition"].startswith("attachment")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    single = client.get("/events/walk.ics")  # one event is a file to save
    assert single["Content-Disposition"] == 'attachment; filename="walk.ics"'


def test_sequence_rises_with_each_change_and_a_cancellation_reaches_subscribers(client, make_event):
    event = make_event(slug="walk")
    (before,) = vevents(client.get("/events/calendar.ics"))

    event.place = "Linn Park, north lawn"
    event.save()
    event.is_cancelled = True
    event.save()
    (after,) = vevents(client.get("/events/calendar.ics"))

    assert before["SEQUENCE"] == 0 and after["SEQUENCE"] == 2
    assert after["STATUS"] == "CANCELLED" and str(before["UID"]) == str(after["UID"])


def test_calendars_answer_304_and_say_how_to_cache(client, make_event):
    make_event(slug="walk")
    for path in ("/events/calendar.ics", "/events/walk.ics", "/es/events/walk.ics"):
        first = client.get(path)
        assert "Cookie" not in first.get("Vary", "")
        assert "public" in first["Cache-Control"] and "must-revalidate" in first["Cache-Control"]
        assert first["ETag"].startswith('"') and first.has_header("Last-Modified")
        assert client.get(path, headers={"if-none-match": first["ETag"]}).status_code == 304
        since = {"if-modified-since": first["Last-Modified"]}
        assert client.get(path, headers=since).status_code == 304


def test_a_single_event_has_google_and_outlook_links_with_its_times(client, make_event):
    start = timezone.now().replace(microsecond=0) + timedelta(days=3)
    make_event(slug="walk", title="Walk in Ensley", starts_at=start)

    page = client.get("/events/walk/")
    soup = BeautifulSoup(page.content, "html.parser")
    google = urlsplit(soup.find("a", string="Add to Google Calendar")["href"])
    outlook = urlsplit(soup.find("a", string="Add to Outlook")["href"])
    g, o = parse_qs(google.query), parse_qs(outlook.query)
    assert google.netloc == "calendar.google.com" and g["text"] == ["Walk in Ensley"]
    end = start + timedelta(hours=2)
    assert g["dates"] == [f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"]
    assert outlook.netloc == "outlook.live.com" and o["subject"] == ["Walk in Ensley"]
    assert o["startdt"] == [start.isoformat().replace("+00:00", "Z")]
    assert "http://testserver/events/walk/" in g["details"][0]


def test_a_series_on_the_31st_does_not_say_every_month(client, make_event):
    start = timezone.make_aware(timezone.datetime(2026, 1, 31, 18, 0))
    make_event(
        slug="late",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        repeats="monthly_date",
        repeat_until=date(2026, 12, 31),
    )

    page = client.get("/events/late/").text

    assert "On day 31 of each month that has one" in page
    assert "Every month" not in page
    (item,) = vevents(client.get("/events/late.ics"))  # what a calendar app repeats
    rule = rrule.rrulestr(item["RRULE"].to_ical().decode(), dtstart=item["DTSTART"].dt)
    assert [moment.month for moment in rule] == [1, 3, 5, 7, 8, 10, 12]


def test_the_calendar_stays_small_at_a_hundred_times_the_data(client, db, time_machine):
    """Issue 27: 10,000 events (471 recurring) over ten years; under 200 KB uncompressed."""
    time_machine.move_to("2026-06-15 12:00:00-05:00")
    now = timezone.now()
    rows = []
    for n in range(10_000):
        start = now + timedelta(hours=9 * (n - 8_000))  # ten years, most of them past
        recurring = n % 21 == 0 and len([r for r in rows if r.repeats]) < 471
        event = Event(
            title=f"Community walk {n} with the officers of the precinct",
            slug=f"walk-{n}",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Birmingham Crossplex",
            address="2340 Crossplex Blvd, Birmingham, AL",
            description="Meet the officers and your neighbors. " * 8,
            is_published=True,
            repeats="weekly" if recurring else "",
            repeat_until=(start + timedelta(days=700)).date() if recurring else None,
        )
        event.series_ends_at = start + timedelta(days=700) if recurring else None
        rows.append(event)
    Event.objects.bulk_create(rows, batch_size=500)

    response = client.get("/events/calendar.ics")

    print(f"calendar.ics at 100x: {len(response.content)} bytes")
    assert len(response.content) < 200 * 1024
    assert len(vevents(response)) > 100


def test_a_partial_save_raises_the_sequence_too(client, make_event):
    event = make_event(slug="walk", title_es="")

    event.title_es = "Caminata"
    event.save(update_fields=["title_es"])

    (item,) = vevents(client.get("/es/events/calendar.ics"))
    assert item["SEQUENCE"] == 1 and str(item["SUMMARY"]) == "Caminata"


def test_deleting_an_event_moves_the_calendars_last_modified(
    client, make_event, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(timezone.now().replace(hour=12), tick=False)
    make_event(slug="walk")
    gone = make_event(slug="talk")
    first = client.get("/events/calendar.ics")

    time_machine.shift(timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        gone.delete()  # staff delete it in the admin

    again = client.get(
        "/events/calendar.ics", headers={"if-modified-since": first["Last-Modified"]}
    )
    assert again.status_code == 200 and b"talk" not in again.content
    assert again["Last-Modified"] != first["Last-Modified"]
