"""The tracker's open data: one shape for CSV and JSON, each column defined once, here.

`RECOMMENDATION_COLUMNS` and `STATUS_UPDATE_COLUMNS` are the data contract: the CSV header and
the JSON keys, in order, and everything said about them (the data page's dictionary, the
Frictionless Table Schema of datapackage.json, the OpenAPI schema) is read from them, so none
can drift from the files. Dates are ISO 8601; a value the source does not give is an empty cell
in the CSV and `null` in the JSON. `text` and `note` are as the site shows them (OCR slips
mended); `source_text` is exactly what the source report gives.
URLs are built from SITE_URL, never from the request's Host header. The files are English in
every language (a data contract): the status labels are the English ones, whichever page links
to them and whatever language the request that builds them is in.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from recommendations.models import (
    FIRST_NUMBER,
    LAST_NUMBER,
    Recommendation,
    Status,
    StatusUpdate,
    english_status_labels,
)

CHUNK_SIZE = 2000  # rows read from the database at a time (a server-side cursor on PostgreSQL)

SOURCE_NOTE = (
    "Birmingham Police Department COPE Division: the city's public-safety plan "
    "recommendations, from the city's status report and COPE staff updates. Rows 24 to 37 "
    "are missing from the copy of the report this tracker was built from."
)


def status_codes() -> tuple:
    return tuple(Status.values)


def status_labels() -> tuple:
    labels = english_status_labels()
    return tuple(labels[code] for code in Status.values)


@dataclass(frozen=True)
class Column:
    """One column of a download: its name, its Table Schema type (integer, string, boolean,
    date, datetime), what it holds, and the rules its values keep."""

    name: str
    type: str
    description: Promise
    required: bool = False  # never empty (never null in the JSON)
    unique: bool = False
    format: str = ""  # "uri" for addresses
    minimum: int | None = None
    maximum: int | None = None
    choices: Callable[[], tuple] | None = None  # the values it may hold, when it has a list

    def allowed_values(self) -> tuple:
        return self.choices() if self.choices else ()


RECOMMENDATION_COLUMNS = [
    Column(
        "number",
        "integer",
        _(
            "The recommendation's number in the city's plan, 1 to 82: the key of this file "
            "(rows 69 to 79 lost their numbers in the source copy and are numbered by their "
            "order)."
        ),
        required=True,
        unique=True,
        minimum=FIRST_NUMBER,
        maximum=LAST_NUMBER,
    ),
    Column(
        "title",
        "string",
        _("Its title: the name the source gives before a colon, else its first sentence."),
    ),
    Column("text", "string", _("The recommendation as the site shows it (OCR slips mended).")),
    Column(
        "status",
        "string",
        _("Its current status, in English words; empty while no status has been published."),
        choices=status_labels,
    ),
    Column(
        "status_code",
        "string",
        _("The same status as a code that never changes with the wording."),
        choices=status_codes,
    ),
    Column("progress_note", "string", _("The progress note that came with its current status.")),
    Column(
        "details_published",
        "boolean",
        _(
            "False for a row the source copy lost (24 to 37) whose details have not been "
            "published yet; True otherwise."
        ),
        required=True,
    ),
    Column("focus_area", "string", _("The focus area COPE staff group it under, if any.")),
    Column(
        "last_updated",
        "date",
        _(
            "The date of its current status; empty when that status comes from the city's "
            "undated first report."
        ),
    ),
    Column("url", "string", _("Its page on this site."), required=True, format="uri"),
    Column(
        "source_text",
        "string",
        _("The recommendation exactly as the source report gives it, OCR slips and all."),
    ),
]

STATUS_UPDATE_COLUMNS = [
    Column(
        "id",
        "integer",
        _(
            "The update's own number: the key of this file. It never changes and is never "
            "reused; it is also the end of the update's address (url)."
        ),
        required=True,
        unique=True,
        minimum=1,
    ),
    Column(
        "recommendation",
        "integer",
        _("The number of the recommendation it is about (the number in the recommendations file)."),
        required=True,
        minimum=FIRST_NUMBER,
        maximum=LAST_NUMBER,
    ),
    Column(
        "status",
        "string",
        _("The status it gives, in English words."),
        required=True,
        choices=status_labels,
    ),
    Column(
        "status_code",
        "string",
        _("The same status as a code that never changes with the wording."),
        required=True,
        choices=status_codes,
    ),
    Column("note", "string", _("What changed, as the site shows it.")),
    Column(
        "date",
        "date",
        _("When it happened; empty when the source gives no date (the city's undated report)."),
    ),
    Column(
        "source",
        "string",
        _(
            "Who it comes from: COPE staff, the city's status report, or the city's status "
            "report of a given day."
        ),
        required=True,
    ),
    Column(
        "recorded_at",
        "datetime",
        _("When it was recorded in the tracker (date, time and time zone offset)."),
        required=True,
    ),
    Column(
        "url",
        "string",
        _("Its place in the recommendation's history on this site."),
        required=True,
        format="uri",
    ),
    Column(
        "source_text",
        "string",
        _("For an update from a report: its note exactly as the report gives it."),
    ),
    Column(
        "retracted_at",
        "datetime",
        _(
            "When it was retracted (posted by mistake): it then no longer counts, but stays in "
            "the history. Empty while it stands."
        ),
    ),
    Column("retraction_reason", "string", _("Why it was retracted, as the public reads it.")),
]

RECOMMENDATION_FIELDS = [column.name for column in RECOMMENDATION_COLUMNS]
STATUS_UPDATE_FIELDS = [column.name for column in STATUS_UPDATE_COLUMNS]


def without_blanks(row: dict) -> dict:
    """A value the source does not give is null: the JSON writes `null`, the CSV an empty
    cell (never the empty string in one and nothing in the other)."""
    return {key: None if value == "" else value for key, value in row.items()}


def iso(value) -> str | None:
    return value.isoformat() if value else None


def page_url(recommendation) -> str:
    """The recommendation's page at its English address, whatever language is active."""
    with translation.override("en"):
        return settings.SITE_URL + recommendation.get_absolute_url()


def recommendation_rows() -> Iterator[dict]:
    """One dict per recommendation, read from the database a chunk at a time."""
    labels = english_status_labels()
    return (
        without_blanks(
            {
                "number": r.number,
                "title": r.title,
                "text": r.text,
                "status": labels[r.status] if r.status else None,
                "status_code": r.status,
                "progress_note": r.progress_note,
                "details_published": r.details_published,
                "focus_area": r.focus_area.name if r.focus_area else None,
                "last_updated": iso(r.status_date),
                "url": page_url(r),
                "source_text": r.source_text,
            }
        )
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
        yield without_blanks(
            {
                "id": u.pk,
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
        )


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
