"""The small "Follow by email" form other apps' pages show, without importing this app."""

from django import template
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


@register.inclusion_tag("follow/follow_box.html")
def follow_form(topic, *, recommendation=None, precinct=None, program=None, heading=""):
    return {
        "topic": topic,
        "topic_label": Topic(topic).label,
        "recommendation": recommendation,
        "precinct": precinct,
        "program": program,
        "frequencies": Frequency.choices,
        # gettext: a page's English heading is one of HEADINGS, shown in the page's language.
        "heading": gettext(heading)
        if heading
        else heading_for(topic, precinct=precinct, program=program),
    }
