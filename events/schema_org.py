"""Events and news posts as schema.org data (Event, NewsArticle) for search engines: a
cancelled event says so (eventStatus), in the page's language."""

from datetime import datetime, time

from django.utils import timezone
from django.utils.translation import get_language

from core.schema_org import cope

SCHEMA = "https://schema.org/"


def event(event, *, url: str) -> dict:
    start = event.shown_starts_at
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": url,
        "startDate": timezone.localtime(start).isoformat(),
        "endDate": timezone.localtime(start + (event.ends_at - event.starts_at)).isoformat(),
        "eventStatus": SCHEMA + ("EventCancelled" if event.is_cancelled else "EventScheduled"),
        "organizer": cope(),
        "isAccessibleForFree": True,
        "inLanguage": get_language(),
    }
    if event.description:
        data["description"] = event.description
    places = []
    if event.location:
        places.append(
            {
                "@type": "Place",
                "name": event.place or event.address,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": event.address or event.place,
                    "addressLocality": "Birmingham",
                    "addressRegion": "AL",
                    "addressCountry": "US",
                },
            }
        )
    if event.online_url:
        places.append({"@type": "VirtualLocation", "url": event.online_url})
    if places:
        data["location"] = places[0] if len(places) == 1 else places
    modes = {"Place": "OfflineEventAttendanceMode", "VirtualLocation": "OnlineEventAttendanceMode"}
    kinds = {place["@type"] for place in places}
    mode = modes[kinds.pop()] if len(kinds) == 1 else "MixedEventAttendanceMode"
    if places:
        data["eventAttendanceMode"] = SCHEMA + mode
    return data


def news_article(post, *, url: str) -> dict:
    published = timezone.make_aware(datetime.combine(post.date, time(12)))
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": post.title[:110],
        "description": post.summary,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": published.isoformat(),
        "dateModified": timezone.localtime(post.updated_at).isoformat(),
        "author": {"@type": "Organization", "name": post.source_name}
        if post.source_name
        else cope(),
        "publisher": cope(),
        "inLanguage": get_language(),
    }
    if post.source_url:
        data["isBasedOn"] = post.source_url
    return data
