"""Program lists other apps' pages show, so those apps need not import programs; and a staff
text inside a translated sentence, marked where it is in English on a Spanish page."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language

from core.languages import shown_language
from programs.models import Program

register = template.Library()


@register.inclusion_tag("programs/contacted_through_precinct.html")
def programs_contacted_through_precinct():
    """The programs whose officers people reach through their neighborhood precinct."""
    return {"programs": list(Program.objects.published().filter(contact_by_precinct=True))}


@register.filter
def in_its_language(obj, field: str) -> str:
    """`obj.field`, escaped, inside `<span lang="en">` where it is shown in another language
    than the page's (a program's name in a sentence, say); as it is otherwise."""
    text, shown = getattr(obj, field), shown_language(obj, field)
    if shown == get_language():
        return conditional_escape(text)
    return format_html('<span lang="{}">{}</span>', shown, text)
