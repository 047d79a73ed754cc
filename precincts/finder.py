"""The finder's answer: what staff entered, else what the ZIP code database says, never a guess.

A precinct is named only when staff entered a service area for it. A ZIP code staff have not
assigned is answered from the offline ZIP code database: Birmingham, AL but not yet assigned,
somewhere else (named), or no ZIP code at all.
"""

import enum
from dataclasses import dataclass, field

from core.zipcodes import Place, place_of
from precincts.models import Precinct, ServiceArea


class Outcome(enum.StrEnum):
    SERVED = "served"
    NOT_YET_ASSIGNED = "not_yet_assigned"
    ELSEWHERE = "elsewhere"
    NO_SUCH_ZIP = "no_such_zip"
    NAME_NOT_ON_FILE = "name_not_on_file"


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    matches: list[Precinct] = field(default_factory=list)
    all_precincts: list[Precinct] = field(default_factory=list)
    place: Place | None = None

    @property
    def several(self) -> bool:
        return len(self.matches) > 1


def answer(*, kind: str, value: str) -> Answer:
    """The finder's answer for a normalized ZIP code or neighborhood name."""
    matches = list(Precinct.objects.serving(kind=kind, value=value))
    if matches:
        return Answer(Outcome.SERVED, matches=matches)
    if kind == ServiceArea.Kind.NEIGHBORHOOD:
        return Answer(Outcome.NAME_NOT_ON_FILE, all_precincts=list(Precinct.objects.in_order()))
    place = place_of(value)
    if place is None:
        return Answer(Outcome.NO_SUCH_ZIP)
    if place.is_birmingham_al:
        return Answer(
            Outcome.NOT_YET_ASSIGNED, place=place, all_precincts=list(Precinct.objects.in_order())
        )
    return Answer(Outcome.ELSEWHERE, place=place)
