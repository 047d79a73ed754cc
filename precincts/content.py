"""Load the four precincts and their first service areas from content.json (seed 000), and
what BPD's precinct pages say (shared/data/precinct-areas.md: area, neighborhoods), each
neighborhood marked with its source until staff confirm it.

A precinct is created when missing and never updated: staff edits stay. Its service areas
are added only when the precinct itself is new, so an area staff removed stays removed.
The Spanish name is added to a precinct loaded before it existed, unless staff have written
one or changed the English name since (the Spanish would then no longer match it).
"""

import json
from pathlib import Path

from core.languages import add_seed_spanish
from precincts.models import Precinct, ServiceArea, normalize_neighborhood

CONTENT = Path(__file__).with_name("content.json")
PRECINCT_FIELDS = ["street_address", "city", "state", "postal_code", "phone", "order"]
TRANSLATED_FIELDS = ["name"]


def load() -> str:
    data = json.loads(CONTENT.read_text(encoding="utf-8"))
    new, translated = {}, 0
    for row in data["precincts"]:
        precinct = Precinct.objects.filter(slug=row["slug"]).first()
        if precinct is not None:
            translated += bool(add_seed_spanish(precinct, row, TRANSLATED_FIELDS))
            continue
        precinct = Precinct(
            slug=row["slug"],
            **{field: row[field] for field in PRECINCT_FIELDS},
            **{f"{field}_en": row[field] for field in TRANSLATED_FIELDS},
            **{f"{field}_es": row[f"{field}_es"] for field in TRANSLATED_FIELDS},
        )
        precinct.full_clean()
        precinct.save()
        new[precinct.slug] = precinct
    areas = 0
    for row in data["service_areas"]:
        if row["precinct"] in new:
            area = ServiceArea(kind=row["kind"], value=row["value"], precinct=new[row["precinct"]])
            area.full_clean()
            area.save()
            areas += 1
    for row in data["sourced"]:
        if row["precinct"] in new:
            areas += add_sourced(new[row["precinct"]], row, ServiceArea)
    summary = f"{len(new)} precincts and {areas} service areas added"
    return summary + (f"; Spanish added to {translated}" if translated else "")


def add_sourced(precinct, row, area_model) -> int:
    """A source's facts for one precinct: its area unless staff entered one, and each
    neighborhood not already on file, unconfirmed. Shared with migration 0004 (hence the
    model passed in): returns the neighborhoods added."""
    if precinct.area_square_miles is None:
        precinct.area_square_miles = row["area_square_miles"]
        precinct.area_source = row["source"]
        precinct.save(update_fields=["area_square_miles", "area_source"])
    added = 0
    for name in row["neighborhoods"]:
        value = normalize_neighborhood(name)
        if area_model.objects.filter(kind="neighborhood", value=value).exists():
            continue
        area_model.objects.create(
            kind="neighborhood",
            value=value,
            label=name,
            precinct=precinct,
            source=row["source"],
            confirmed=False,
        )
        added += 1
    return added
