"""Precinct boundaries: reading the city's GeoJSON, and which precinct a point lies in.

Geometry is plain shapely on GeoJSON kept in the database (no PostGIS): four polygons are
checked in memory, and each process keeps its shapes until the boundaries change.
"""

import json
import threading
from dataclasses import dataclass

import shapely
from shapely.errors import ShapelyError
from shapely.geometry import MultiPolygon, Point, Polygon, shape
from shapely.validation import explain_validity

from precincts.models import PrecinctBoundary

# Alabama's bounding box, with a little room: anything outside it is not a Birmingham precinct
# (the usual cause is a file in State Plane feet, or latitude and longitude swapped).
ALABAMA = {"min_longitude": -88.48, "max_longitude": -84.88, "min_latitude": 30.14,
           "max_latitude": 35.01}  # fmt: skip
MAX_FEATURES = 50
# Overlaps smaller than this many square degrees (about 1 m²) are rounding, not overlaps.
OVERLAP_TOLERANCE = 1e-10
SQUARE_MILES_PER_SQUARE_DEGREE = 69.0 * 57.7  # a degree of latitude x one of longitude at 33.5° N


class BoundaryFileError(ValueError):
    """The file cannot be loaded; each message says what to fix. Nothing was saved."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class ReadBoundary:
    slug: str
    geometry: Polygon | MultiPolygon


@dataclass(frozen=True)
class ReadFile:
    boundaries: list[ReadBoundary]
    overlaps: list[str]


def inside_alabama(geometry) -> bool:
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    return (
        ALABAMA["min_longitude"] <= min_lon
        and max_lon <= ALABAMA["max_longitude"]
        and ALABAMA["min_latitude"] <= min_lat
        and max_lat <= ALABAMA["max_latitude"]
    )


def looks_swapped(geometry) -> bool:
    min_x, min_y, max_x, max_y = geometry.bounds
    return (
        ALABAMA["min_latitude"] <= min_x
        and max_x <= ALABAMA["max_latitude"]
        and ALABAMA["min_longitude"] <= min_y
        and max_y <= ALABAMA["max_longitude"]
    )


def read_file(text: str, *, slugs: set[str]) -> ReadFile:
    """Every feature of a GeoJSON FeatureCollection, checked; all the problems at once.

    Each feature's `precinct` property names a precinct by its slug; its geometry must be a
    valid Polygon or MultiPolygon inside Alabama, and each precinct on file appears exactly once.
    Overlaps between precincts are reported, not refused: a point in two precincts names both.
    """
    try:
        data = json.loads(text)
    except ValueError as error:
        raise BoundaryFileError(
            [f"The file is not GeoJSON (JSON could not be read: {error})."]
        ) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryFileError(['The file must be a GeoJSON "FeatureCollection".'])
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryFileError(["The file has no features."])
    if len(features) > MAX_FEATURES:
        raise BoundaryFileError([f"The file has more than {MAX_FEATURES} features."])
    errors, read, seen = [], [], {}
    for number, feature in enumerate(features, start=1):
        where = f"Feature {number}"
        properties = feature.get("properties") if isinstance(feature, dict) else None
        slug = properties.get("precinct") if isinstance(properties, dict) else None
        if not isinstance(slug, str) or not slug.strip():
            errors.append(f"{where}: it has no “precinct” property (the precinct's slug).")
            continue
        slug = slug.strip().casefold()
        where = f"Feature {number} ({slug})"
        if slug not in slugs:
            known = ", ".join(sorted(slugs))
            errors.append(f"{where}: “{slug}” is not a precinct; use one of {known}.")
            continue
        if slug in seen:
            errors.append(f"{where}: the precinct already has feature {seen[slug]}; one each.")
            continue
        seen[slug] = number
        raw = feature.get("geometry")
        if not isinstance(raw, dict) or raw.get("type") not in {"Polygon", "MultiPolygon"}:
            kind = raw.get("type") if isinstance(raw, dict) else "none"
            errors.append(f"{where}: the geometry is {kind}, not a Polygon or MultiPolygon.")
            continue
        try:
            geometry = shape(raw)
        except (ValueError, TypeError, AttributeError, IndexError, ShapelyError):
            errors.append(f"{where}: the coordinates could not be read as a polygon.")
            continue
        if geometry.is_empty:
            errors.append(f"{where}: the polygon is empty.")
            continue
        if not geometry.is_valid:
            errors.append(f"{where}: the polygon is not valid ({explain_validity(geometry)}).")
            continue
        if not inside_alabama(geometry):
            hint = (
                " The coordinates look like latitude, longitude: GeoJSON wants longitude first."
                if looks_swapped(geometry)
                else " GeoJSON must be in WGS 84 longitude and latitude (not State Plane feet)."
            )
            errors.append(f"{where}: it is not inside Alabama.{hint}")
            continue
        read.append(ReadBoundary(slug=slug, geometry=geometry))
    missing = sorted(slugs - set(seen))
    if missing:
        errors.append("The file has no boundary for: " + ", ".join(missing) + ".")
    if errors:
        raise BoundaryFileError(errors)
    return ReadFile(boundaries=read, overlaps=overlaps_of(read))


def overlaps_of(boundaries: list[ReadBoundary]) -> list[str]:
    """Each pair of precincts whose areas overlap (a shared edge is not an overlap)."""
    found = []
    for index, first in enumerate(boundaries):
        for second in boundaries[index + 1 :]:
            shared = first.geometry.intersection(second.geometry).area
            if shared > OVERLAP_TOLERANCE:
                miles = shared * SQUARE_MILES_PER_SQUARE_DEGREE
                found.append(
                    f"{first.slug} and {second.slug} overlap (about {miles:.2f} square miles): "
                    "an address there is answered with both precincts."
                )
    return found


class Shapes:
    """The loaded boundaries as shapely shapes, rebuilt when they change (one query a lookup)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.version = None
        self.shapes: list[tuple[int, Polygon | MultiPolygon]] = []

    def current(self) -> list[tuple[int, Polygon | MultiPolygon]]:
        rows = list(PrecinctBoundary.objects.values_list("pk", "precinct_id", "loaded_at"))
        version = tuple(sorted(rows))
        with self.lock:
            if version != self.version:
                geometries = dict(PrecinctBoundary.objects.values_list("precinct_id", "geometry"))
                self.shapes = [(pk, shape(geometry)) for pk, geometry in geometries.items()]
                for _, geometry in self.shapes:
                    shapely.prepare(geometry)
                self.version = version
            return self.shapes


SHAPES = Shapes()


def precinct_ids_at(*, longitude: float, latitude: float) -> list[int] | None:
    """The precincts whose area holds the point (on a shared edge: both); None when no
    boundaries are loaded, so nobody is told "outside" for want of a map."""
    shapes = SHAPES.current()
    if not shapes:
        return None
    point = Point(longitude, latitude)
    return [precinct_id for precinct_id, geometry in shapes if geometry.covers(point)]
