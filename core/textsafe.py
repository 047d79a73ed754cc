"""Text without control characters: refused from staff, stripped from every file we write.

Text pasted from a PDF carries invisible control characters (form feed, vertical tab, ...).
XML 1.0 cannot hold them (an Atom feed would fail for good: history is append-only), and
vCard and iCalendar forbid them. The line and paragraph separators (U+2028, U+2029) break
JavaScript strings and mail headers, and the noncharacters (U+FFFE, U+FFFF, U+FDD0 to U+FDEF and
the last two code points of every plane) are not text at all; XML refuses U+FFFE and U+FFFF.
Staff text fields refuse them all with a message; the writers of feeds, CSV, vCard and .ics,
and the status-report import, strip any already stored. Tab and line breaks are ordinary text.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

# C0 controls but tab, line feed and carriage return (a line break from a textarea is CR LF),
# DEL, the C1 controls, the line and paragraph separators, and the noncharacters.
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
CONTROL_CHARACTERS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029{NONCHARACTERS}]")


def strip_control_characters(value):
    """`value` without control characters; anything but a string is returned as it is."""
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


def refuse_control_characters(value) -> None:
    """A validator for staff text: say which invisible character to remove, and where."""
    if not isinstance(value, str):
        return
    found = CONTROL_CHARACTERS.search(value)
    if found:
        raise ValidationError(
            "This text contains an invisible control character (U+%(code)04X, character "
            "%(position)d), often pasted from a PDF: delete it or retype the text around it.",
            code="control_character",
            params={"code": ord(found.group()), "position": found.start() + 1},
        )


class RefuseControlCharactersAdmin:
    """ModelAdmin and inline mixin: every text field of the staff's forms refuses them."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(field, forms.CharField) and refuse_control_characters not in (
            field.validators
        ):
            field.validators.append(refuse_control_characters)
        return field


def clean_feed(feed):
    """Strip control characters from a feed generator's fields and items, in place."""

    def clean(value):
        if isinstance(value, (list, tuple)):
            return type(value)(clean(item) for item in value)
        return strip_control_characters(value)

    feed.feed = {name: clean(value) for name, value in feed.feed.items()}
    feed.items = [{name: clean(value) for name, value in item.items()} for item in feed.items]
    return feed
