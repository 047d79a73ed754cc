"""Load the city's precinct boundaries from a GeoJSON file (the admin's upload does the same)."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from precincts import services
from precincts.boundaries import BoundaryFileError


class Command(BaseCommand):
    help = (
        "Replace the precinct boundaries with a GeoJSON FeatureCollection: one Polygon or "
        "MultiPolygon per precinct, its `precinct` property the precinct's slug. "
        "Checked whole first; nothing changes if anything is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source", required=True, help="Who published the boundaries, or their address."
        )
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="The date the source gives (YYYY-MM-DD); today when left out.",
        )

    def handle(self, *args, file, source, date, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            result = services.load_boundaries(
                data=data, source=source, source_date=date or timezone.localdate()
            )
        except BoundaryFileError as error:
            raise CommandError(
                "Nothing was loaded:\n" + "\n".join(f"- {m}" for m in error.messages)
            ) from None
        for overlap in result.overlaps:
            self.stderr.write(f"Overlap: {overlap}")
        self.stdout.write(f"{result.loaded} precinct boundaries loaded.")
