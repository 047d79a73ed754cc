"""Load the four precincts and their first service areas from content.json (seed 000).

A precinct is created when missing and never updated: staff edits stay. Its service areas
are added only when the precinct itself is new, so an area staff removed stays removed.
"""

import json
from pathlib import Path

from precincts.models import Precinct, ServiceArea

CONTENT = Path(__file__).with_name("content.json")
PRECINCT_FIELDS = ["name", "street_address", "city", "state", "postal_code", "phone", "order"]


def load() -> str:
    data = json.loads(CONTENT.read_text(encoding="utf-8"))
    new = {}
    for row in data["precincts"]:
        if Precinct.objects.filter(slug=row["slug"]).exists():
            continue
        precinct = Precinct(slug=row["slug"], **{field: row[field] for field in PRECINCT_FIELDS})
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
    return f"{len(new)} precincts and {areas} service areas added"
