"""The one ZIP code rule: five ASCII digits, optionally followed by a +4 part."""

import gzip
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

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


# The offline ZIP code table, compacted: one fixed-width line per ZIP code, sorted, gzipped
# (tools/zipindex.py builds it from the `zipcodes` package). Looking a ZIP code up reads this
# 1.5 MB of bytes once per process instead of the package's table (about 130 MB as Python
# objects, or its own index of about 56 MB).
INDEX = Path(__file__).with_name("zipcodes.idx.gz")
RECORD = 36  # ZIP (5), state (2), kind (1), city (27, space-padded), newline
KINDS = {"STANDARD": "S", "PO BOX": "P", "UNIQUE": "U", "MILITARY": "M"}


def index_line(row: dict) -> str:
    """One ZIP code's line in the index, from a row of the `zipcodes` package."""
    return f"{row['zip_code']}{row['state']}{KINDS[row['zip_code_type']]}{row['city']:<27}\n"


@cache
def _index() -> bytes:
    return gzip.decompress(INDEX.read_bytes())


def _record(index: bytes, position: int) -> tuple[str, str, str, str]:
    line = index[position * RECORD : (position + 1) * RECORD].decode("utf-8")
    return line[:5], line[5:7], line[7], line[8:].rstrip()


def place_of(zip_code: str) -> Place | None:
    """The place of a five-digit ZIP code, or None when no such ZIP code exists."""
    index = _index()
    low, high = 0, len(index) // RECORD
    key = zip_code.encode("ascii", "replace")
    while low < high:  # binary search over the sorted fixed-width lines
        middle = (low + high) // 2
        if index[middle * RECORD : middle * RECORD + 5] < key:
            low = middle + 1
        else:
            high = middle
    if low * RECORD < len(index):
        code, state, _, city = _record(index, low)
        if code == zip_code:
            return Place(zip_code=code, city=city, state=state)
    return None


@cache
def birmingham_zip_codes() -> tuple[str, ...]:
    """The ZIP codes of Birmingham, AL where people live (not PO box or single-firm ZIP codes).

    The post office's city is wider than the City of Birmingham: staff decide which of these
    a precinct serves.
    """
    index = _index()
    found = []
    for position in range(len(index) // RECORD):
        code, state, kind, city = _record(index, position)
        if state == BIRMINGHAM.state and kind == "S" and city == BIRMINGHAM.city:
            found.append(code)
    return tuple(found)
