"""Program lists other apps' pages show, so those apps need not import programs."""

from django import template

from programs.models import Program

register = template.Library()


@register.inclusion_tag("programs/contacted_through_precinct.html")
def programs_contacted_through_precinct():
    """The programs whose officers people reach through their neighborhood precinct."""
    return {"programs": list(Program.objects.published().filter(contact_by_precinct=True))}
