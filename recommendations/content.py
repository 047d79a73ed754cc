"""Load the plan's 82 recommendations from the city's status report (seed 001).

A recommendation that exists is left alone, with its history: staff updates are never
overwritten, and a second load changes nothing.
"""

from recommendations.importer import read_source, title_for
from recommendations.models import SOURCE_REPORT, Recommendation
from recommendations.plainwords import tidy
from recommendations.services import record_status_update


def load() -> str:
    existing = set(Recommendation.objects.values_list("number", flat=True))
    added = 0
    for row in read_source():
        if row.number in existing:
            continue
        recommendation = Recommendation.objects.create(
            number=row.number,
            title=title_for(row.text) if row.text else "",
            text=tidy(row.text),
            source_text=row.text,
            source_fragment=row.fragment,
            details_published=row.published,
        )
        if row.status:
            record_status_update(
                recommendation=recommendation,
                status=row.status,
                note=row.note,
                source=SOURCE_REPORT,
            )
        added += 1
    return f"{added} recommendations added"
