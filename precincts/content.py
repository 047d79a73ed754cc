"""Load the four precincts and their first service areas from content.json (seed 000).

A precinct is created when missing and never updated: staff edits stay. Its service areas
are added only when the precinct itself is new, so an area staff removed stays removed.
The Spanish name is added to a precinct loaded before it existed, unless staff have written
one or changed the English name since (the Spanish would then no longer match it).
"""

import json
from pathlib import Path

from core.languages import add_seed_spanish
from precincts.models import Precinct, ServiceArea

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
    summary = f"{len(new)} precincts and {areas} service areas added"
    return summary + (f"; Spanish added to {translated}" if translated else "")
