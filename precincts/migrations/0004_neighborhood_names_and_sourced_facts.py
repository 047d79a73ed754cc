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
    for area in ServiceArea.objects.filter(kind="neighborhood").order_by("pk"):
        value = normalize_neighborhood(area.value) or area.value
        label = area.label or " ".join(part.capitalize() for part in area.value.split(" "))
        twin = ServiceArea.objects.filter(
            kind="neighborhood", value=value, precinct_id=area.precinct_id
        ).exclude(pk=area.pk)
        if twin.exists():
            area.delete()
            continue
        ServiceArea.objects.filter(pk=area.pk).update(value=value, label=label)
    for row in json.loads(CONTENT.read_text(encoding="utf-8"))["sourced"]:
        precinct = Precinct.objects.filter(slug=row["precinct"]).first()
        if precinct is not None:
            add_sourced(precinct, row, ServiceArea)


class Migration(migrations.Migration):
    dependencies = [("precincts", "0003_boundaries_areas_officers")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
