from datetime import UTC, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from core import downloads
from core.schema_org import json_ld
from events import ics, schema_org
from events.forms import EventFilterForm
from events.models import Event, NewsPost, over
from precincts.models import Precinct
from programs.models import Program

EVENTS_PER_PAGE = 20
NEWS_PER_PAGE = 20


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def calendar_name() -> str:
    return pgettext("the name of the subscribed calendar", "Birmingham Police COPE events")


def calendar_addresses() -> dict:
    """The events calendar to subscribe to, in the page's language: the webcal: link that
    opens a calendar app, and the https address to paste into one (Google Calendar's "From
    URL", Outlook's "Subscribe from web")."""
    https = settings.SITE_URL + reverse("events:calendar")
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


def page_number(request) -> int:
    """The ?page asked for, as a small int; anything else is page 1 (Paginator clamps the rest)."""
    raw = request.GET.get("page", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 20 else 1


@require_safe
def event_list(request):
    now = timezone.now()
    form = EventFilterForm(
        request.GET or None,
        precincts=Precinct.objects.in_order(),
        programs=Program.objects.published().order_by("name"),
    )
    events = UpcomingThenPast(form.filter(Event.objects.published().for_listing()), now)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(page_number(request))
    context = {
        "form": form,
        "page": page,
        "upcoming": [event for event in page if not event.is_past],
        "past": [event for event in page if event.is_past],
        "problems": form.problems(),
        "query": form_query(form),
        "calendar": calendar_addresses(),
    }
    return render(request, "events/event_list.html", context)


class UpcomingThenPast:
    """The events list's order for the Paginator: those not over yet soonest first, then those
    over, the latest first. Each part is read with its own index-backed ORDER BY and LIMIT (an
    ORDER BY on "is it over?" would sort every event); one query counts both. A page deep in
    the past is read from the oldest end, so the last page costs what the first does."""

    def __init__(self, events, now):
        self.events, self.now = events, now
        self.upcoming_count = self.total = None

    def count(self) -> int:
        # No DISTINCT: the filters join one program at most, so each event is one row.
        counts = self.events.order_by().aggregate(
            total=Count("pk"), upcoming=Count("pk", filter=~over(self.now))
        )
        self.upcoming_count, self.total = counts["upcoming"], counts["total"]
        return counts["total"]

    def __getitem__(self, part: slice) -> list:
        if self.upcoming_count is None:
            self.count()
        start, stop, split = part.start or 0, part.stop, self.upcoming_count
        found = []
        if start < split:
            for event in self.events.upcoming(self.now)[start : min(stop, split)]:
                event.is_past = False
                found.append(event)
        if stop > split:
            past, first, last = self.events.past(self.now), max(start - split, 0), stop - split
            past_count = self.total - split
            if first > past_count // 2:  # past the middle: from the oldest end, read forwards
                last = min(last, past_count)
                events = reversed(list(past.reverse()[past_count - last : past_count - first]))
            else:
                events = past[first:last]
            for event in events:
                event.is_past = True
                found.append(event)
        return found


def public_or_preview(queryset, request, **lookup):
    """The published row, or the draft for staff (a preview); 404 for anyone else."""
    try:
        return queryset.public_or_preview(request.user, **lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def form_query(form) -> str:
    """The valid filters as a query string prefix, kept by the page links."""
    data = form.valid_data()
    return urlencode(data) + "&" if data else ""


@require_safe
def event_detail(request, slug):
    event = public_or_preview(Event.objects.select_related("precinct"), request, slug=slug)
    context = {
        "event": event,
        "is_over": event.is_over(),
        "next_starts_at": event.next_starts_at,
        "programs": list(event.programs.published().order_by("name")),
        "recommendations": list(event.recommendations.order_by("number")),
    }
    url = ics.site_url(event.get_absolute_url())
    context["json_ld"] = json_ld(schema_org.event(event, url=url))
    context["og"] = {"title": event.display_title, "description": event.when}
    if not event.repeats:  # their forms take one date; a series is added from its .ics
        context["google_link"] = ics.google_link(event, url=url)
        context["outlook_link"] = ics.outlook_link(event, url=url)
    if event.takes_registrations:
        # The seats taken, through the reverse relation of the registrations (app "ask").
        taken = event.registrations.filter(state="seated").count()
        context["seats_left"] = max(event.capacity - taken, 0)
    response = render(request, "events/event_detail.html", context)
    if not event.is_published:
        response["Cache-Control"] = "private, no-cache"
    return response


@require_safe
def event_ics(request, slug):
    event = public_or_preview(Event.objects.all(), request, slug=slug)
    body = ics.calendar([event], absolute=ics.site_url, name=event.title)
    response = ics.ics_response(
        body, f"{event.slug}.ics", last_modified=event.updated_at, download=True
    )
    if not event.is_published:
        response["Cache-Control"] = "private, no-cache"
    return response


@require_safe
def calendar(request):
    """The calendar people subscribe to (a window of the events: EventQuerySet.for_calendar).

    Last-Modified is the latest change to any event (a deletion included: the "events" version
    of core.downloads), or the window's last move (its start, at midnight), whichever is later."""
    events = list(Event.objects.for_calendar())
    changed = max(
        Event.objects.aggregate(latest=Max("updated_at"))["latest"] or EPOCH,
        downloads.version("events")[1],
    )
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    body = ics.calendar(events, absolute=ics.site_url, name=calendar_name(), subscription=True)
    return ics.ics_response(
        body, "cope-events.ics", last_modified=max(changed, midnight), download=False
    )


@require_safe
def news_list(request):
    posts = NewsPost.objects.published().newest_first()
    page = Paginator(posts, NEWS_PER_PAGE).get_page(page_number(request))
    return render(request, "events/news_list.html", {"page": page})


@require_safe
def news_detail(request, slug):
    post = public_or_preview(NewsPost.objects.all(), request, slug=slug)
    context = {
        "post": post,
        "programs": list(post.programs.published().order_by("name")),
        "recommendations": list(post.recommendations.order_by("number")),
        "events": list(post.events.published().order_by("-starts_at")),
    }
    url = ics.site_url(post.get_absolute_url())
    context["json_ld"] = json_ld(schema_org.news_article(post, url=url))
    context["og"] = {"title": post.title, "description": post.summary, "type": "article"}
    response = render(request, "events/news_detail.html", context)
    if not post.is_published:
        response["Cache-Control"] = "private, no-cache"
    return response
