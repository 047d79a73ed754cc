from django import template
from django.utils.html import format_html

from core import phone as phone_numbers

register = template.Library()


@register.filter
def phone(e164: str) -> str:
    """Show a stored E.164 number the way people in Birmingham write it."""
    return phone_numbers.display(e164 or "")


@register.simple_tag
def phone_link(e164: str) -> str:
    """A number people can tap to call: the one markup for every phone link on the site."""
    return format_html(
        '<a class="tel" href="tel:{}">{}</a>', e164 or "", phone_numbers.display(e164 or "")
    )
