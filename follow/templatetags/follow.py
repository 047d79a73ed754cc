"""The small "Follow by email" form other apps' pages show, without importing this app."""

import functools

from django import template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from follow.models import Frequency, Topic

register = template.Library()

# The box's heading on each page that shows it. A page may pass one of these (in English or
# already translated) or its own, translated, heading.
HEADINGS = {
    "plan": _("Follow the safety plan by email"),
    "recommendation": _("Follow this recommendation by email"),
    "events": _("Hear of new events by email"),
    "precinct": _("Hear of this precinct's events by email"),
    "program": _("Hear of this program's events by email"),
}


def heading_for(topic, *, precinct=None, program=None) -> str:
    if topic == Topic.EVENTS and precinct is not None:
        return str(HEADINGS["precinct"])
    if topic == Topic.EVENTS and program is not None:
        return str(HEADINGS["program"])
    return str(HEADINGS.get(topic, _("Follow by email")))


@functools.lru_cache(maxsize=512)
def follow_box(language, topic, number=None, precinct=None, program=None, heading="") -> SafeString:
    """The box in `language` for a topic (and the recommendation's number, the precinct's or the
    program's slug), kept per process: it holds only words and addresses, which do not change
    while a process runs, and a page with it would otherwise translate its dozen words and
    labels at every uncached render. At most 2 languages times (82 + 4 + 15 + 3) boxes."""
    with translation.override(language):
        return render_to_string(
            "follow/follow_box.html",
            {
                "topic": topic,
                "recommendation_number": number,
                "precinct_slug": precinct,
                "program_slug": program,
                "frequencies": [(value, str(label)) for value, label in Frequency.choices],
                # gettext: a page's English heading is one of HEADINGS, in the page's language.
                "heading": gettext(heading)
                if heading
                else heading_for(topic, precinct=precinct, program=program),
            },
        )


@register.simple_tag
def follow_form(topic, *, recommendation=None, precinct=None, program=None, heading=""):
    return follow_box(
        translation.get_language(),
        str(topic),
        recommendation.number if recommendation is not None else None,
        precinct.slug if precinct is not None else None,
        program.slug if program is not None else None,
        str(heading),
    )
