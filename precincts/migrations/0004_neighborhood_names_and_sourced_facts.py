"""Neighborhood values compared without accents, with their names kept as written; and, for
precincts already on file, what BPD's precinct pages say (content.json's "sourced")."""

import json
from pathlib import Path

from django.db import migrations

from precincts.content import add_sourced
from precincts.models import normalize_neighborhood

CONTENT = Path(__file__).resolve().parent.parent / "content.json"


def forwards(apps, schema_editor):
    Precinct = apps.get_model("precincts", "Precinct")
    ServiceArea = apps.get_model("precincts", "ServiceArea")
    groups = {}
    for area in ServiceArea.objects.filter(kind="neighborhood").order_by("pk"):
        value = normalize_neighborhood(area.value) or area.value
        groups.setdefault((area.precinct_id, value), []).append(area)
    for (_, value), areas in groups.items():
        # Names that now compare equal: keep the one written with accents, the first if none.
        kept = max(areas, key=lambda area: sum(not c.isascii() for c in area.value))
        ServiceArea.objects.filter(pk__in=[a.pk for a in areas if a is not kept]).delete()
        label = kept.label or " ".join(part.capitalize() for part in kept.value.split(" "))
        ServiceArea.objects.filter(pk=kept.pk).update(value=value, label=label)
    for row in json.loads(CONTENT.read_text(encoding="utf-8"))["sourced"]:
        precinct = Precinct.objects.filter(slug=row["precinct"]).first()
        if precinct is not None:
            add_sourced(precinct, row, ServiceArea)


class Migration(migrations.Migration):
    dependencies = [("precincts", "0003_boundaries_areas_officers")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
