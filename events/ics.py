"""Events as iCalendar (RFC 5545): one event to add to a calendar, or the subscribable feed."""

from datetime import UTC

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from core.textsafe import strip_control_characters
from events import recurrence

PRODID = "-//Birmingham Police Department//COPE events//EN"


def site_url(path: str) -> str:
    """A full URL from the configured SITE_URL, never from the request's Host header."""
    return settings.SITE_URL + path


def calendar(events, *, absolute, name: str) -> bytes:
    """`absolute` turns a path into a full URL (`site_url`)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", strip_control_characters(name))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    events = list(events)
    for event in events:
        cal.add_component(vevent(event, url=absolute(event.get_absolute_url())))
    if events:
        # Time zone rules only for the years the events span, not 1970 to 2038.
        first = min(e.starts_at for e in events).date().replace(month=1, day=1)
        last = max(e.series_ends_at or e.ends_at for e in events).date().replace(month=12, day=31)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return cal.to_ical()


def vevent(event, *, url: str) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", event.uid)
    item.add("dtstamp", event.updated_at.astimezone(UTC))
    item.add("last-modified", event.updated_at.astimezone(UTC))
    item.add("dtstart", timezone.localtime(event.starts_at))
    item.add("dtend", timezone.localtime(event.ends_at))
    item.add("summary", strip_control_characters(event.display_title))
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    if event.location:
        item.add("location", strip_control_characters(event.location))
    description = strip_control_characters(event.description)
    if event.online_url:
        description = f"{description}\n\nOnline: {event.online_url}".strip()
    if description:
        item.add("description", description)
    item.add("url", url)
    recurrence.add_to_vevent(item, event)
    return item


def ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
