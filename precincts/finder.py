"""The finder's answer: what staff entered or the boundaries say, else what is known, never a guess.

A ZIP code or neighborhood is answered from the service areas staff entered (or took from a
named source); a ZIP code staff have not assigned, from the offline ZIP code database. A street
address is geocoded, and it and a browser's location are answered from the precinct boundaries:
inside one names it, on a shared edge names both, outside all says so. Neither the address nor
the point is kept anywhere.
"""

import difflib
import enum
from dataclasses import dataclass, field

from core.zipcodes import Place, place_of
from precincts import boundaries, geocoding
from precincts.models import Precinct, ServiceArea

SUGGESTIONS = 3
SUGGESTION_CUTOFF = 0.75


class Outcome(enum.StrEnum):
    SERVED = "served"
    NOT_YET_ASSIGNED = "not_yet_assigned"
    ELSEWHERE = "elsewhere"
    NO_SUCH_ZIP = "no_such_zip"
    NAME_NOT_ON_FILE = "name_not_on_file"
    OUTSIDE_CITY = "outside_city"
    NO_BOUNDARIES = "no_boundaries"
    ADDRESS_NOT_FOUND = "address_not_found"
    GEOCODER_UNAVAILABLE = "geocoder_unavailable"


class By(enum.StrEnum):
    ZIP = "zip"
    NEIGHBORHOOD = "neighborhood"
    ADDRESS = "address"
    LOCATION = "location"


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    by: By
    matches: list[Precinct] = field(default_factory=list)
    all_precincts: list[Precinct] = field(default_factory=list)
    place: Place | None = None
    suggestions: list[str] = field(default_factory=list)
    partly_outside_city: bool = False

    @property
    def several(self) -> bool:
        return len(self.matches) > 1

    @property
    def located(self) -> bool:
        """Answered from the boundaries: the page then offers no ZIP or neighborhood advice."""
        return self.by in {By.ADDRESS, By.LOCATION}


def everyone():
    return list(Precinct.objects.in_order())


def serving(kind: str, value: str) -> tuple[list[Precinct], bool]:
    """The precincts serving a ZIP code or neighborhood, and whether staff or a source say
    part of it lies outside the city (one query)."""
    areas = (
        ServiceArea.objects.filter(kind=kind, value=value)
        .select_related("precinct")
        .order_by("precinct__order", "precinct__name")
    )
    areas = list(areas)
    return [area.precinct for area in areas], any(area.partly_outside_city for area in areas)


def by_zip(zip_code: str) -> Answer:
    matches, partly_outside = serving(ServiceArea.Kind.ZIP, zip_code)
    if matches:
        return Answer(Outcome.SERVED, By.ZIP, matches=matches, partly_outside_city=partly_outside)
    place = place_of(zip_code)
    if place is None:
        return Answer(Outcome.NO_SUCH_ZIP, By.ZIP)
    if place.is_birmingham_al:
        return Answer(Outcome.NOT_YET_ASSIGNED, By.ZIP, place=place, all_precincts=everyone())
    return Answer(Outcome.ELSEWHERE, By.ZIP, place=place)


def by_neighborhood(name: str) -> Answer:
    """A neighborhood on file (accents, case and spacing forgiven), else the nearest names."""
    matches, _ = serving(ServiceArea.Kind.NEIGHBORHOOD, name)
    if matches:
        return Answer(Outcome.SERVED, By.NEIGHBORHOOD, matches=matches)
    names = ServiceArea.objects.neighborhood_names()
    close = difflib.get_close_matches(name, names, n=SUGGESTIONS, cutoff=SUGGESTION_CUTOFF)
    return Answer(
        Outcome.NAME_NOT_ON_FILE,
        By.NEIGHBORHOOD,
        all_precincts=everyone(),
        suggestions=[names[key] for key in close],
    )


def at_point(*, longitude: float, latitude: float, by: By) -> Answer:
    ids = boundaries.precinct_ids_at(longitude=longitude, latitude=latitude)
    if ids is None:
        return Answer(Outcome.NO_BOUNDARIES, by, all_precincts=everyone())
    if not ids:
        return Answer(Outcome.OUTSIDE_CITY, by)
    return Answer(Outcome.SERVED, by, matches=list(Precinct.objects.filter(pk__in=ids).in_order()))


def by_address(address: str) -> Answer:
    """Geocode only when there are boundaries to place the point in: otherwise the address
    would be sent to the geocoder for nothing."""
    if not boundaries.SHAPES.current():
        return Answer(Outcome.NO_BOUNDARIES, By.ADDRESS, all_precincts=everyone())
    try:
        located = geocoding.geocoder().locate(address)
    except geocoding.GeocoderUnavailable:
        return Answer(Outcome.GEOCODER_UNAVAILABLE, By.ADDRESS, all_precincts=everyone())
    if located is None:
        return Answer(Outcome.ADDRESS_NOT_FOUND, By.ADDRESS, all_precincts=everyone())
    return at_point(longitude=located.longitude, latitude=located.latitude, by=By.ADDRESS)


def answer(*, kind: str, value: str) -> Answer:
    """The finder's answer for what the form read: a ZIP code, a neighborhood or an address
    (forms.FinderForm), or a location (forms.LocationForm, value = (longitude, latitude))."""
    if kind == By.ZIP:
        return by_zip(value)
    if kind == By.NEIGHBORHOOD:
        return by_neighborhood(value)
    if kind == By.LOCATION:
        longitude, latitude = value
        return at_point(longitude=longitude, latitude=latitude, by=By.LOCATION)
    return by_address(value)
