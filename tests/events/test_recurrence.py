"""Recurring events: staff enter a monthly meeting once; the page, list and .ics follow the rule."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from dateutil import rrule
from django.core.exceptions import ValidationError
from icalendar import Calendar

from events.models import Event

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")


def monthly_meeting(make_event, **fields):
    """North Precinct's meeting: second Tuesday, 6 to 7:30 PM, January to June 2030."""
    event = make_event.build(
        title="North Precinct community meeting",
        slug="north-community-meeting",
        starts_at=datetime.datetime(2030, 1, 8, 18, 0, tzinfo=CHICAGO),
        ends_at=datetime.datetime(2030, 1, 8, 19, 30, tzinfo=CHICAGO),
        repeats="monthly_weekday",
        repeat_until=datetime.date(2030, 6, 30),
        skipped_dates="2030-03-12\n",
        **fields,
    )
    event.full_clean()
    event.save()
    return event


def expanded(vevent) -> list[datetime.datetime]:
    """The dates a calendar app shows: the VEVENT's RRULE expanded, its EXDATEs removed."""
    start = vevent.decoded("dtstart")
    rule = rrule.rrulestr(vevent["rrule"].to_ical().decode(), dtstart=start)
    exdates = {when.dt for when in vevent["exdate"].dts}
    return [moment for moment in rule if moment not in exdates]


def test_the_ics_carries_the_rule_and_expands_to_the_right_dates_without_the_exception(
    client, make_event
):
    monthly_meeting(make_event)

    response = client.get("/events/north-community-meeting.ics")

    calendar = Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    assert vevent["rrule"]["FREQ"] == ["MONTHLY"]
    assert vevent["rrule"]["BYDAY"] == ["2TU"]
    assert [moment.date() for moment in expanded(vevent)] == [
        datetime.date(2030, 1, 8),
        datetime.date(2030, 2, 12),
        datetime.date(2030, 4, 9),
        datetime.date(2030, 5, 14),
        datetime.date(2030, 6, 11),
    ]
    assert {moment.astimezone(CHICAGO).hour for moment in expanded(vevent)} == {18}


def test_a_weekly_rule_is_exported_as_weekly(client, make_event):
    make_event(
        slug="walk",
        starts_at=datetime.datetime(2030, 1, 5, 9, 0, tzinfo=CHICAGO),
        ends_at=datetime.datetime(2030, 1, 5, 10, 0, tzinfo=CHICAGO),
        repeats="weekly",
        repeat_until=datetime.date(2030, 1, 26),
    )

    (vevent,) = Calendar.from_ical(client.get("/events/walk.ics").content).walk("VEVENT")

    assert vevent["rrule"]["FREQ"] == ["WEEKLY"]
    assert (
        len(
            list(
                rrule.rrulestr(
                    vevent["rrule"].to_ical().decode(), dtstart=vevent.decoded("dtstart")
                )
            )
        )
        == 4
    )


def test_the_list_and_the_page_show_the_next_occurrence_and_the_cancelled_date(
    client, make_event, monkeypatch
):
    event = monthly_meeting(make_event)
    later = datetime.datetime(2030, 2, 20, 12, 0, tzinfo=CHICAGO)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)

    listing = BeautifulSoup(client.get("/events/").content, "html.parser")
    page = BeautifulSoup(client.get(event.get_absolute_url()).content, "html.parser")

    summary = listing.find("a", string="North Precinct community meeting").find_parent("article")
    assert "Tuesday, April 9, 2030, 6:00 PM to 7:30 PM" in summary.get_text()
    assert "Every month on the second Tuesday, until June 30, 2030" in summary.get_text()
    text = " ".join(page.get_text().split())
    assert "Next: Tuesday, April 9, 2030" in text
    assert "No North Precinct community meeting on Tuesday, March 12, 2030" in text
    assert page.find("a", href="/events/north-community-meeting.ics") is not None


def test_a_series_counts_as_upcoming_until_its_last_date(make_event, monkeypatch):
    event = monthly_meeting(make_event)

    may = datetime.datetime(2030, 5, 1, tzinfo=CHICAGO)
    july = datetime.datetime(2030, 7, 1, tzinfo=CHICAGO)
    assert list(Event.objects.upcoming(may)) == [event]
    assert list(Event.objects.past(july)) == [event]
    assert list(Event.objects.upcoming(july)) == []


def test_a_past_event_offers_no_add_to_calendar(client, make_event):
    make_event(
        slug="old-walk",
        starts_at=datetime.datetime(2020, 1, 5, 9, 0, tzinfo=CHICAGO),
        ends_at=datetime.datetime(2020, 1, 5, 10, 0, tzinfo=CHICAGO),
    )

    page = BeautifulSoup(client.get("/events/old-walk/").content, "html.parser")

    assert "This event has taken place" in page.get_text()
    assert page.find("a", href="/events/old-walk.ics") is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"repeat_until": None}, "repeat_until"),
        ({"repeat_until": datetime.date(2029, 12, 1)}, "repeat_until"),
        ({"repeat_until": datetime.date(2040, 1, 1)}, "repeat_until"),
        ({"skipped_dates": "March 12"}, "skipped_dates"),
    ],
)
def test_a_rule_staff_cannot_mean_is_refused_with_a_message(make_event, fields, field):
    event = make_event.build(
        slug="x",
        starts_at=datetime.datetime(2030, 1, 8, 18, 0, tzinfo=CHICAGO),
        ends_at=datetime.datetime(2030, 1, 8, 19, 0, tzinfo=CHICAGO),
        repeats="monthly_weekday",
        repeat_until=datetime.date(2030, 6, 30),
    )
    for name, value in fields.items():
        setattr(event, name, value)

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert field in error.value.message_dict


@pytest.mark.parametrize("repeats", ["weekly", "monthly_weekday", "monthly_date"])
def test_the_next_occurrence_is_the_first_not_over_whenever_the_series_began(make_event, repeats):
    """Worked out from the day before now (not from the first date of a series years long), it
    is the same date as the whole series gives, across the changes of clock and a skipped day."""
    from events import recurrence

    event = make_event.build(
        title="Weekly walk",
        slug=f"walk-{repeats}",
        starts_at=datetime.datetime(2028, 1, 31, 23, 30, tzinfo=CHICAGO),  # late: the day shifts
        ends_at=datetime.datetime(2028, 2, 1, 1, 0, tzinfo=CHICAGO),  # past midnight
        repeats=repeats,
        repeat_until=datetime.date(2030, 12, 31),
        skipped_dates="2030-03-12\n2030-03-11\n2030-11-04\n",
    )
    event.full_clean()
    event.save()
    every = recurrence.starts(event)
    length = event.ends_at - event.starts_at
    moments = [every[0] - datetime.timedelta(days=3), *every[::7]]
    moments += [start + length - datetime.timedelta(minutes=1) for start in every[-20:]]
    moments += [
        datetime.datetime(2030, 3, 10, 2, 30, tzinfo=datetime.UTC),  # around the spring change
        datetime.datetime(2030, 11, 3, 7, 0, tzinfo=datetime.UTC),  # and the autumn one
        every[-1] + length + datetime.timedelta(minutes=1),  # over
    ]
    for now in moments:
        expected = next((start for start in every if start + length >= now), None)
        assert recurrence.next_start(event, now) == expected, now
