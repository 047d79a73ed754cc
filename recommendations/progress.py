"""The plan's progress over time, derived from the public history (no second source of truth).

The city's status report carries no date, so its statuses are the starting point; each month
since the first dated update shows how many recommendations stood at each status at its end.
"""

import calendar
from datetime import date

from django.utils import timezone

from recommendations.models import LAST_NUMBER, Status, StatusUpdate

NO_STATUS = ""
BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH = 26, 14, 150, 440


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_ends(first: date, last: date) -> list[date]:
    ends, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        ends.append(month_end(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ends


def month_end_counts(today: date | None = None) -> dict:
    today = today or timezone.localdate()
    updates = list(
        StatusUpdate.objects.public_history()
        .order_by("recorded_at", "pk")
        .values_list("recommendation_id", "status", "date")
    )
    dated = [d for _, _, d in updates if d is not None]
    ends = month_ends(min(dated), today) if dated else []
    columns = [{"label": "From the city's status report (undated)", "date": None}] + [
        {"label": end.strftime("%B %Y") if end < today else f"{end:%B %Y} to date", "date": end}
        for end in ends
    ]
    counts = []
    for column in columns:
        current = {}
        for recommendation, status, when in updates:
            if when is None or (column["date"] is not None and when <= column["date"]):
                current[recommendation] = status
        tally = {code: 0 for code in Status.values}
        for status in current.values():
            tally[status] += 1
        tally[NO_STATUS] = LAST_NUMBER - len(current)
        counts.append(tally)
    rows = [
        {"code": code, "label": label, "counts": [tally[code] for tally in counts]}
        for code, label in [*Status.choices, (NO_STATUS, "No status published")]
    ]
    return {"columns": columns, "rows": rows}


def chart(table: dict) -> dict:
    """Geometry for a server-drawn SVG: one stacked bar per column of the table."""
    bars = []
    for index, column in enumerate(table["columns"]):
        y = index * (BAR_HEIGHT + GAP)
        x = LABEL_WIDTH
        segments = []
        for row in table["rows"]:
            count = row["counts"][index]
            width = round(BAR_WIDTH * count / LAST_NUMBER, 2)
            if count:
                segments.append(
                    {
                        "x": x,
                        "width": width,
                        "code": row["code"] or "none",
                        "label": row["label"],
                        "count": count,
                    }
                )
            x += width
        bars.append(
            {
                "label": column["label"],
                "y": y,
                "text_y": y + BAR_HEIGHT / 2 + 5,
                "segments": segments,
            }
        )
    height = len(bars) * (BAR_HEIGHT + GAP)
    return {
        "bars": bars,
        "height": height,
        "width": LABEL_WIDTH + BAR_WIDTH + 10,
        "bar_height": BAR_HEIGHT,
    }
