"""The small "Follow by email" form other apps' pages show, without importing this app."""

from django import template

from follow.models import Frequency, Topic

register = template.Library()


@register.inclusion_tag("follow/follow_box.html")
def follow_form(topic, *, recommendation=None, precinct=None, program=None, heading=""):
    return {
        "topic": topic,
        "topic_label": Topic(topic).label,
        "recommendation": recommendation,
        "precinct": precinct,
        "program": program,
        "frequencies": Frequency.choices,
        "heading": heading,
    }
