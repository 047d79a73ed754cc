"""Email addresses people give: accepted only in the plain form mail is really sent to, and
counted by the mailbox they reach, so one inbox cannot be flooded through spellings of it."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

# RFC 5322's dot-atom in ASCII: no quoted local part, no spaces, no control characters.
LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z")

INVALID = _("Enter an email address in the correct format, like name@example.com")


def validate_mailbox(value: str) -> None:
    """Refuse what Django's own check allows but a mailbox is never written as."""
    local, _at, _domain = str(value).rpartition("@")
    if not LOCAL_PART.match(local) or any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise ValidationError(INVALID, code="invalid")
    EmailValidator(message=INVALID)(value)


def mailbox(value: str) -> str:
    """The mailbox an address reaches, for counting: case folded, a `+tag` dropped."""
    local, _at, domain = value.strip().rpartition("@")
    return f"{local.split('+', 1)[0].lower()}@{domain.lower()}"


class MailboxField(forms.EmailField):
    """A form's email address field with the strict check (one message, beside the field)."""

    default_validators = [validate_mailbox]
