"""The tracker's open data: one shape for CSV and JSON, documented on the tracker page.

recommendations: number, title, text, status, status_code, progress_note, details_published,
focus_area, last_updated, url, source_text. status_updates: recommendation, status, status_code,
note, date, source, recorded_at, url, source_text, retracted_at, retraction_reason. Dates are ISO
8601; an empty value means the source gives none. `text` and `note` are as the site shows them
(OCR slips mended); `source_text` is exactly what the source report gives.
URLs are built from SITE_URL, never from the request's Host header.
"""

from django.conf import settings

from recommendations.models import Recommendation, StatusUpdate

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


def recommendation_rows() -> list[dict]:
    return [
        {
            "number": r.number,
            "title": r.title,
            "text": r.text,
            "status": r.get_status_display() if r.status else "",
            "status_code": r.status,
            "progress_note": r.progress_note,
            "details_published": r.details_published,
            "focus_area": r.focus_area.name if r.focus_area else "",
            "last_updated": iso(r.status_date),
            "url": settings.SITE_URL + r.get_absolute_url(),
            "source_text": r.source_text,
        }
        for r in Recommendation.objects.for_tracker()
    ]


def status_update_rows() -> list[dict]:
    updates = StatusUpdate.objects.public_history().order_by(
        "recommendation__number", "recorded_at", "pk"
    )
    return [
        {
            "recommendation": u.recommendation.number,
            "status": u.get_status_display(),
            "status_code": u.status,
            "note": u.note,
            "date": iso(u.date),
            "source": u.source,
            "recorded_at": iso(u.recorded_at),
            "url": settings.SITE_URL + u.get_absolute_url(),
            "source_text": u.source_text,
            "retracted_at": iso(u.retracted_at),
            "retraction_reason": u.retraction_reason,
        }
        for u in updates
    ]
