"""The one ZIP code rule: five ASCII digits, optionally followed by a +4 part."""

import re
from dataclasses import dataclass
from functools import cache

import zipcodes
from django.utils.translation import gettext_lazy as _

ZIP_PATTERN = re.compile(r"([0-9]{5})(?:[- ]?[0-9]{4})?")
ZIP_FORMAT = _("Enter a 5-digit ZIP code, like 35203")


def normalize_zip(raw: str) -> str | None:
    """The five-digit ZIP code in a ZIP or ZIP+4, or None (other scripts' digits included)."""
    match = ZIP_PATTERN.fullmatch(" ".join(raw.split()))
    return match.group(1) if match else None


@dataclass(frozen=True)
class Place:
    """Where the US Postal Service says a ZIP code is: its post office's city and state."""

    zip_code: str
    city: str
    state: str

    @property
    def is_birmingham_al(self) -> bool:
        return self.city == BIRMINGHAM.city and self.state == BIRMINGHAM.state


BIRMINGHAM = Place(zip_code="", city="Birmingham", state="AL")


@cache
def _places() -> dict[str, Place]:
    """Every ZIP code in the offline database the `zipcodes` package ships (no network)."""
    return {
        row["zip_code"]: Place(zip_code=row["zip_code"], city=row["city"], state=row["state"])
        for row in zipcodes.list_all()
    }


def place_of(zip_code: str) -> Place | None:
    """The place of a five-digit ZIP code, or None when no such ZIP code exists."""
    return _places().get(zip_code)


@cache
def birmingham_zip_codes() -> tuple[str, ...]:
    """The ZIP codes of Birmingham, AL where people live (not PO box or single-firm ZIP codes).

    The post office's city is wider than the City of Birmingham: staff decide which of these
    a precinct serves.
    """
    rows = zipcodes.filter_by(city=BIRMINGHAM.city, state=BIRMINGHAM.state)
    return tuple(sorted(row["zip_code"] for row in rows if row["zip_code_type"] == "STANDARD"))
