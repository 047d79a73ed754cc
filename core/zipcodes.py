"""The one ZIP code rule: five ASCII digits, optionally followed by a +4 part."""

import re

ZIP_PATTERN = re.compile(r"([0-9]{5})(?:[- ]?[0-9]{4})?")
ZIP_FORMAT = "Enter a 5-digit ZIP code, like 35203"


def normalize_zip(raw: str) -> str | None:
    """The five-digit ZIP code in a ZIP or ZIP+4, or None (other scripts' digits included)."""
    match = ZIP_PATTERN.fullmatch(" ".join(raw.split()))
    return match.group(1) if match else None
