from django import template

from portal import phone as phone_numbers

register = template.Library()


@register.filter
def phone(e164: str) -> str:
    """Show a stored E.164 number the way people in Birmingham write it."""
    return phone_numbers.display(e164 or "")
