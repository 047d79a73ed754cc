"""An event's summary in lists (the events page, the home page, a precinct's, program's or
recommendation's upcoming events), rendered once per process for what it shows."""

import functools

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()


class Shown:
    """An event with what its summary shows: equal to another where every value shown is, so
    the rendered summary is found again for an event that did not change. `key` lists every
    value events/event_summary.html reads: one it reads later must be added here."""

    __slots__ = ("event", "key")

    def __init__(self, event, language: str):
        self.event = event
        self.key = (
            language,
            event.pk,
            event.slug,
            event.title_en,
            event.title_es,
            event.is_cancelled,
            event.starts_at,
            event.ends_at,
            event.place,
            event.address,
            event.repeats,
            event.repeat_until,
            event.shown_starts_at,  # a weekly meeting's next date moves on with the days
        )

    def __hash__(self):
        return hash(self.key)

    def __eq__(self, other):
        return isinstance(other, Shown) and self.key == other.key


@functools.lru_cache(maxsize=2048)
def summary(shown: Shown) -> SafeString:
    """About 20 lines of HTML with half a dozen dates formatted in the page's language: a page of
    20 summaries spent half its render on them (issue 27). Kept per process, at most 2048 (a
    couple of MB): a change to the event changes what it shows, so the next page renders it anew."""
    html = render_to_string("events/event_summary.html", {"event": shown.event})
    shown.event = None  # the cache keeps this key: not the event, its precinct and the rest
    return html


@register.simple_tag
def event_summary(event) -> SafeString:
    return summary(Shown(event, get_language()))
