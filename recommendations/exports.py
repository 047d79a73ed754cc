"""The tracker's open data: one shape for CSV and JSON, documented on the tracker page.

recommendations: number, title, text, status, status_code, progress_note, details_published,
focus_area, last_updated, url, source_text. status_updates: recommendation, status, status_code,
note, date, source, recorded_at, url, source_text, retracted_at, retraction_reason. Dates are ISO
8601; an empty value means the source gives none. `text` and `note` are as the site shows them
(OCR slips mended); `source_text` is exactly what the source report gives.
URLs are built from SITE_URL, never from the request's Host header. The files are English in
every language (a data contract): the status labels are the English ones, whichever page links
to them and whatever language the request that builds them is in.
"""

import json
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.utils import translation

from recommendations.models import Recommendation, StatusUpdate, english_status_labels

CHUNK_SIZE = 2000  # rows read from the database at a time (a server-side cursor on PostgreSQL)

SOURCE_NOTE = (
    "Birmingham Police Department COPE Division: the city's public-safety plan "
    "recommendations, from the city's status report and COPE staff updates. Rows 24 to 37 "
    "are missing from the copy of the report this tracker was built from."
)
RECOMMENDATION_FIELDS = [
    "number",
    "title",
    "text",
    "status",
    "status_code",
    "progress_note",
    "details_published",
    "focus_area",
    "last_updated",
    "url",
    "source_text",
]
STATUS_UPDATE_FIELDS = [
    "recommendation",
    "status",
    "status_code",
    "note",
    "date",
    "source",
    "recorded_at",
    "url",
    "source_text",
    "retracted_at",
    "retraction_reason",
]


def iso(value) -> str:
    return value.isoformat() if value else ""


def page_url(recommendation) -> str:
    """The recommendation's page at its English address, whatever language is active."""
    with translation.override("en"):
        return settings.SITE_URL + recommendation.get_absolute_url()


def recommendation_rows() -> Iterator[dict]:
    """One dict per recommendation, read from the database a chunk at a time."""
    labels = english_status_labels()
    return (
        {
            "number": r.number,
            "title": r.title,
            "text": r.text,
            "status": labels[r.status] if r.status else "",
            "status_code": r.status,
            "progress_note": r.progress_note,
            "details_published": r.details_published,
            "focus_area": r.focus_area.name if r.focus_area else "",
            "last_updated": iso(r.status_date),
            "url": page_url(r),
            "source_text": r.source_text,
        }
        for r in Recommendation.objects.for_tracker().iterator(chunk_size=CHUNK_SIZE)
    )


def status_update_rows(*, since=None) -> Iterator[dict]:
    """One dict per public update, read a chunk at a time; `since` (an aware datetime) keeps
    the change log's entries recorded or retracted from then on: the same rows as the page's
    ?since= (the starting point, the city's undated report, is in the whole file only)."""
    history = StatusUpdate.objects.public_history()
    if since is not None:
        history = StatusUpdate.objects.changes_since(since)
    updates = history.defer("recommendation__text", "recommendation__progress_note").order_by(
        "recommendation__number", "recorded_at", "pk"
    )
    page_urls = {}  # one URL per recommendation, not one reverse() per row
    labels = english_status_labels()
    for u in updates.iterator(chunk_size=CHUNK_SIZE):
        number = u.recommendation.number
        if number not in page_urls:
            page_urls[number] = page_url(u.recommendation)
        yield {
            "recommendation": number,
            "status": labels[u.status],
            "status_code": u.status,
            "note": u.note,
            "date": iso(u.date),
            "source": u.source,
            "recorded_at": iso(u.recorded_at),
            "url": f"{page_urls[number]}#update-{u.pk}",
            "source_text": u.source_text,
            "retracted_at": iso(u.retracted_at),
            "retraction_reason": u.retraction_reason,
        }


def json_chunks(*, source: str, key: str, rows: Iterable[dict], rows_per_chunk=500):
    """`{"source": …, key: [rows]}` as UTF-8, a few hundred rows at a time: valid JSON when
    read whole, whatever the number of rows, without holding them all."""
    head = json.dumps({"source": source}, ensure_ascii=False)[:-1]
    parts = [f"{head},\n {json.dumps(key)}: ["]
    separator = "\n  "
    for row in rows:
        parts.append(separator + json.dumps(row, ensure_ascii=False))
        separator = ",\n  "
        if len(parts) >= rows_per_chunk:
            yield "".join(parts).encode()
            parts = []
    parts.append("\n ]\n}\n")
    yield "".join(parts).encode()


def csv_values(rows: Iterable[dict], fields: list[str]) -> Iterator[list]:
    return ([row[field] for field in fields] for row in rows)
