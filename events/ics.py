"""Events as iCalendar (RFC 5545): one event to add to a calendar, or the subscribable feed,
and the links that add one event to Google's or Outlook's calendar."""

from datetime import UTC, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from icalendar import Calendar, Timezone
from icalendar import Event as CalendarEvent

from core.textsafe import strip_control_characters
from events import recurrence

PRODID = "-//Birmingham Police Department//COPE events//EN"


def site_url(path: str) -> str:
    """A full URL from the configured SITE_URL, never from the request's Host header."""
    return settings.SITE_URL + path


# How often a subscribed calendar app should look again (RFC 7986 REFRESH-INTERVAL, and the
# X-PUBLISHED-TTL that Outlook and Apple read): a cancellation reaches it within the hour.
REFRESH = timedelta(hours=1)


def calendar(events, *, absolute, name: str, subscription: bool = False) -> bytes:
    """`absolute` turns a path into a full URL (`site_url`). A calendar without any event
    still holds one component, the site's VTIMEZONE (RFC 5545 §3.6 wants at least one)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", strip_control_characters(name))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    if subscription:
        cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT1H")
    events = list(events)
    for event in events:
        cal.add_component(vevent(event, url=absolute(event.get_absolute_url())))
    if events:
        # Time zone rules only for the years the events span, not 1970 to 2038.
        first = min(e.starts_at for e in events).date().replace(month=1, day=1)
        last = max(e.series_ends_at or e.ends_at for e in events).date().replace(month=12, day=31)
        cal.add_missing_timezones(first_date=first, last_date=last)
    else:
        year = timezone.localdate()
        cal.add_component(
            Timezone.from_tzid(
                settings.TIME_ZONE,
                first_date=year.replace(month=1, day=1),
                last_date=year.replace(month=12, day=31),
            )
        )
    return cal.to_ical()


def vevent(event, *, url: str) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", event.uid)
    item.add("dtstamp", event.updated_at.astimezone(UTC))
    item.add("last-modified", event.updated_at.astimezone(UTC))
    item.add("sequence", event.sequence)  # rises with every change: apps take the new version
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


def ics_response(body: bytes, filename: str, *, last_modified, download: bool) -> HttpResponse:
    """A calendar file that a client can poll cheaply: Last-Modified and (from
    ConditionalGetMiddleware) a strong ETag, revalidated on each use. `download`: sent as a file
    to save (one event); the subscription is not, so calendar apps simply read it."""
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if download:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_cache_control(
        response, public=True, max_age=settings.BROWSER_CACHE_SECONDS, must_revalidate=True
    )
    return response


def utc_stamp(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def details(event, url: str) -> str:
    return "\n\n".join(part for part in (event.description.strip(), url) if part)


def google_link(event, *, url: str) -> str:
    """Google Calendar's "add an event" form, filled in."""
    query = {
        "action": "TEMPLATE",
        "text": event.display_title,
        "dates": f"{utc_stamp(event.starts_at)}/{utc_stamp(event.ends_at)}",
        "details": details(event, url),
        "location": event.location,
        "ctz": settings.TIME_ZONE,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_link(event, *, url: str) -> str:
    """Outlook.com's "new event" form, filled in (the personal accounts most residents have)."""
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.display_title,
        "startdt": event.starts_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "enddt": event.ends_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "body": details(event, url),
        "location": event.location,
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)
