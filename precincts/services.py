"""Writes to precincts that carry a rule: confirmed contact details, the service-area import,
the boundaries."""

import csv
import datetime
import io
import json
from dataclasses import dataclass

import shapely
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.signals import public_content_changed
from precincts import boundaries
from precincts.models import Precinct, PrecinctBoundary, ServiceArea

HEADER = ["kind", "value", "precinct"]
MAX_ROWS = 5000
KINDS = {
    "zip": ServiceArea.Kind.ZIP,
    "zip code": ServiceArea.Kind.ZIP,
    "neighborhood": ServiceArea.Kind.NEIGHBORHOOD,
}


@transaction.atomic
def mark_contact_details_checked(*, precincts, on: datetime.date | None = None) -> int:
    """Record that staff confirmed these precincts' contact details (today unless told)."""
    on = on or timezone.localdate()
    count = 0
    for precinct in precincts:
        precinct.contact_checked_on = on
        precinct.full_clean()
        precinct.save()
        count += 1
    return count


@transaction.atomic
def confirm_service_areas(*, areas) -> int:
    """Staff confirm areas taken from a source: the public page stops naming the source."""
    count = 0
    for area in areas.filter(confirmed=False):
        area.confirmed = True
        area.full_clean()
        area.save()
        count += 1
    return count


class ServiceAreaImportError(ValidationError):
    """The file had problems; each message names its line. Nothing was saved."""


@dataclass(frozen=True)
class ImportResult:
    added: int
    already_on_file: int


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceAreaImportError(
            ["The file is not UTF-8 text: save it from the spreadsheet as “CSV UTF-8”."]
        ) from None


def read_service_areas(text: str) -> list[ServiceArea]:
    """Every row of the CSV as an unsaved, validated ServiceArea; all the bad lines at once."""
    if "\x00" in text:
        raise ServiceAreaImportError(["The file is not a CSV text file."])
    precincts = {}
    for precinct in Precinct.objects.all():
        for key in (precinct.slug, precinct.name):
            precincts[" ".join(key.split()).casefold()] = precinct
    reader = csv.reader(io.StringIO(text))
    errors, areas, seen = [], [], set()
    header = next(reader, None)
    if header is None:
        raise ServiceAreaImportError(
            ["The file is empty: the first line must be kind,value,precinct."]
        )
    if [cell.strip().casefold() for cell in header] != HEADER:
        errors.append("Line 1: the first line must be the header kind,value,precinct.")
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(areas) + len(errors) >= MAX_ROWS:
            errors.append(f"Line {line}: the file has more than {MAX_ROWS} rows; split it.")
            break
        if len(row) != 3:
            errors.append(
                f"Line {line}: expected 3 values (kind,value,precinct), found {len(row)}."
            )
            continue
        kind_text, value, precinct_text = (cell.strip() for cell in row)
        kind = KINDS.get(" ".join(kind_text.split()).casefold())
        precinct = precincts.get(" ".join(precinct_text.split()).casefold())
        problems = []
        if kind is None:
            problems.append(f"kind “{kind_text}” is not zip or neighborhood")
        if precinct is None:
            problems.append(
                f"precinct “{precinct_text}” is not one of "
                + ", ".join(sorted({p.slug for p in precincts.values()}))
            )
        area = ServiceArea(kind=kind or "", value=value, precinct=precinct)
        if kind is not None:
            try:
                area.clean()
            except ValidationError as error:
                problems += error.message_dict.get("value", [])
        if problems:
            errors.append(f"Line {line}: " + "; ".join(problems) + ".")
            continue
        key = (area.kind, area.value, precinct.pk)
        if key not in seen:
            seen.add(key)
            areas.append(area)
    if errors:
        raise ServiceAreaImportError(errors)
    return areas


@transaction.atomic
def import_service_areas(*, data: bytes) -> ImportResult:
    """Add the CSV's service areas, all or none. An area already on file stays as it is, except
    that one taken from a source is now confirmed: the staff's list says so."""
    areas = read_service_areas(decode(data))
    existing = set(ServiceArea.objects.values_list("kind", "value", "precinct_id"))
    added = 0
    for area in areas:
        if (area.kind, area.value, area.precinct_id) in existing:
            confirmed = ServiceArea.objects.filter(
                kind=area.kind, value=area.value, precinct=area.precinct, confirmed=False
            ).update(confirmed=True)
            if confirmed:
                public_content_changed.send(sender=ServiceArea)
            continue
        area.full_clean()
        area.save()
        added += 1
    return ImportResult(added=added, already_on_file=len(areas) - added)


@dataclass(frozen=True)
class BoundaryLoadResult:
    loaded: int
    overlaps: list[str]


@transaction.atomic
def load_boundaries(*, data: bytes, source: str, source_date: datetime.date) -> BoundaryLoadResult:
    """Replace every precinct's boundary with the file's, all or none (boundaries.read_file
    says what it checks). Overlaps are returned for staff to see; they do not stop the load."""
    source = " ".join(source.split())
    if not source:
        raise boundaries.BoundaryFileError(["Say where the boundaries come from (the source)."])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise boundaries.BoundaryFileError(["The file is not UTF-8 GeoJSON text."]) from None
    precincts = {precinct.slug: precinct for precinct in Precinct.objects.all()}
    read = boundaries.read_file(text, slugs=set(precincts))
    PrecinctBoundary.objects.all().delete()
    for item in read.boundaries:
        min_lon, min_lat, max_lon, max_lat = item.geometry.bounds
        boundary = PrecinctBoundary(
            precinct=precincts[item.slug],
            geometry=json.loads(shapely.to_geojson(item.geometry)),
            min_longitude=min_lon,
            min_latitude=min_lat,
            max_longitude=max_lon,
            max_latitude=max_lat,
            source=source,
            source_date=source_date,
        )
        boundary.full_clean()
        boundary.save()
    return BoundaryLoadResult(loaded=len(read.boundaries), overlaps=read.overlaps)
