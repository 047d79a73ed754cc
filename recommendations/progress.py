"""The plan's progress over time, counted in the database from the public history.

A recommendation stands, at the end of a month, at the status of its latest public update in
force (not retracted) dated on or before that day; the city's status report carries no date,
so its statuses are the starting point. Each update holds from its date until the next one's:
the database turns each into +1 for its status in the month it starts and -1 in the month the
next one takes over, and sums them by day and status, then by month (the month of a few
thousand days, not of every update). The work stays in the database and the page reads a
handful of rows (months x statuses), however long the history grows.
"""

import calendar
from collections import defaultdict
from datetime import date

from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from core import downloads
from recommendations.headline import BAR_ORDER
from recommendations.models import Recommendation, Status, StatusUpdate, status_label

PLAN = "recommendations"  # the content generation (core.downloads) the plan's changes renew
NO_STATUS = ""
MONTHLY_MONTHS = 24  # months shown one by one; older ones at the end of each year
MONTH = {
    # date_part (a float) rather than EXTRACT (a numeric, several times slower over 164,000 rows)
    "postgresql": "(date_part('year', {0})::integer * 12 + date_part('month', {0})::integer - 1)",
    # SQLite keeps a date as text, YYYY-MM-DD. No strftime('%Y'): a "%" beside the query's
    # parameters breaks Django's debug cursor (DEBUG on, or a test counting queries).
    "sqlite": "(CAST(substr({0}, 1, 4) AS INTEGER) * 12 + CAST(substr({0}, 6, 2) AS INTEGER) - 1)",
}
DELTAS = """
WITH ordered AS (
    SELECT status, date,
           LEAD(date) OVER w AS next_date,
           LEAD(id) OVER w AS next_id
    FROM {table}
    WHERE public AND retracted_at IS NULL AND (date IS NULL OR date <= %s)
    WINDOW w AS (
        PARTITION BY recommendation_id
        ORDER BY CASE WHEN date IS NULL THEN 0 ELSE 1 END, date, recorded_at, id
    )
)
SELECT {month_of_day} AS month, status, SUM(change) FROM (
    SELECT day, status, SUM(delta) AS change FROM (
        SELECT date AS day, status, 1 AS delta
        FROM ordered WHERE NOT (next_id IS NOT NULL AND next_date IS NULL)
        UNION ALL
        SELECT next_date AS day, status, -1 AS delta
        FROM ordered WHERE next_date IS NOT NULL
    ) AS deltas
    GROUP BY day, status
) AS days
GROUP BY month, status
"""


def month_deltas(today: date) -> dict:
    """{month number or None (undated): {status: change in count}} from the database."""
    month = MONTH["postgresql" if connection.vendor == "postgresql" else "sqlite"]
    sql = DELTAS.format(table=StatusUpdate._meta.db_table, month_of_day=month.format("day"))
    deltas = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, [today])
        for month_number, status, delta in cursor.fetchall():
            deltas[month_number][status] = int(delta)
    return deltas


def month_end(number: int) -> date:
    year, month = divmod(number, 12)
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def month_end_counts(today: date | None = None) -> dict:
    """{"columns": [{date, to_date}], "rows": [{code, counts}]}: the figures, without the words
    (`labelled` adds them in the page's language)."""
    today = today or timezone.localdate()
    deltas = month_deltas(today)
    total = Recommendation.objects.count()
    dated = [m for m in deltas if m is not None]
    this_month = today.year * 12 + today.month - 1
    months = list(range(min(dated), this_month + 1)) if dated else []
    columns = [{"date": None, "to_date": False}]
    running = dict.fromkeys(Status.values, 0)
    tallies = []
    # Every month of the last two years; before that, the end of each year (a long history
    # stays a page a phone can read).
    monthly_from = this_month - MONTHLY_MONTHS + 1
    for month in [None, *months]:
        for status, delta in deltas.get(month, {}).items():
            running[status] += delta
        if month is not None and month < monthly_from and month % 12 != 11:
            continue
        if month is not None:
            end = month_end(month)
            columns.append({"date": end, "to_date": end >= today})
        tallies.append(running | {NO_STATUS: total - sum(running.values())})
    rows = [
        {"code": code, "counts": [tally[code] for tally in tallies]}
        for code in [*Status.values, NO_STATUS]
    ]
    yearly_until = month_end(monthly_from - 1) if months and months[0] < monthly_from else None
    return {"columns": columns, "rows": rows, "total": total, "yearly_until": yearly_until}


def month_end_counts_kept(today: date | None = None) -> dict:
    """month_end_counts(), computed once per change of the plan (and per day, as the "to date"
    column moves) and kept in the shared cache: the page stays as quick at 82,000 updates as
    at 68. Without the shared cache it is computed each time."""
    today = today or timezone.localdate()
    generation = downloads.generation(PLAN)
    if generation is None:
        return month_end_counts(today)
    key = f"progress-counts:{generation}:{today.isoformat()}"
    table = cache.get(key)
    if table is None:
        table = month_end_counts(today)
        cache.set(key, table, 86400)
    return table


def labelled(table: dict) -> dict:
    """The table with its words in the page's language (the cache keeps one copy for all)."""
    return table | {
        "columns": [column | {"label": column_label(column)} for column in table["columns"]],
        "rows": [row | {"label": status_label(row["code"])} for row in table["rows"]],
    }


def column_label(column: dict) -> str:
    """A row of the table: the undated report, a month ("September 2026"), or this month so far."""
    if column["date"] is None:
        return gettext("From the city's status report (undated)")
    month = date_format(column["date"], "YEAR_MONTH_FORMAT")
    return gettext("%(month)s (to date)") % {"month": month} if column["to_date"] else month


# The step chart: completed and in progress over time, drawn by the server (no JavaScript).
# x in percent of the width (the labels keep their size on a phone), y in pixels.
SERIES = [  # told apart by width and dashes as well as colour
    {"code": Status.COMPLETED, "style": "completed", "colour": "#0f3d21", "width": 4, "dash": ""},
    {
        "code": Status.IN_PROGRESS,
        "style": "in-progress",
        "colour": "#0b4f8a",
        "width": 3,
        "dash": "8 4",
    },
]
PLOT_TOP, PLOT_HEIGHT, AXIS_HEIGHT = 24, 160, 44
X_START, X_END = 2.0, 88.0  # room on the right for the last counts


def chart(table: dict) -> dict:
    """Geometry of a step chart of completed and in progress: each count holds until the next
    column's; a count is written where it changes and at the end, so small progress reads as a
    number, not a sliver. The y scale runs to the larger series (not to all 82)."""
    columns = table["columns"]
    by_code = {row["code"]: row for row in table["rows"]}
    peak = max([1, *(max(by_code[s["code"]]["counts"]) for s in SERIES)])
    steps = max(len(columns), 1)

    def x(index: int) -> float:
        return X_START + (X_END - X_START) * index / steps

    def y(count: int, shift: int = 0) -> str:
        """A string: a float in the template would take the page's decimal comma (es)."""
        return f"{PLOT_TOP + PLOT_HEIGHT * (1 - count / peak) + shift:.1f}"

    series = []
    for spec in SERIES:
        row = by_code[spec["code"]]
        counts = row["counts"]
        lines, labels = [], []
        for index, count in enumerate(counts):
            start, end = f"{x(index):.2f}", f"{x(index + 1):.2f}"
            lines.append({"x1": start, "x2": end, "y1": y(count), "y2": y(count)})
            if index and counts[index - 1] != count:
                lines.append(
                    {
                        "x1": f"{x(index):.2f}",
                        "x2": f"{x(index):.2f}",
                        "y1": y(counts[index - 1]),
                        "y2": y(count),
                    }
                )
            if index == 0 or counts[index - 1] != count:
                labels.append({"x": f"{x(index) + 0.5:.2f}", "y": y(count, -5), "count": count})
        series.append(
            spec
            | {
                "label": row["label"],
                "lines": lines,
                "labels": labels,
                "last": {"x": f"{x(steps) + 1:.2f}", "y": y(counts[-1], 5), "count": counts[-1]},
                "summary": ", ".join(
                    f"{column['label']} {count}"
                    for column, count in zip(columns, counts, strict=True)
                ),
            }
        )
    bottom = PLOT_TOP + PLOT_HEIGHT
    return {
        "series": series,
        "height": bottom + AXIS_HEIGHT,
        "baseline": bottom,
        "axis_y": bottom + 18,
        "first": columns[0]["label"],
        "last": columns[-1]["label"] if len(columns) > 1 else "",
        "last_x": f"{X_END:.2f}",
        "peak": peak,
        "peak_y": PLOT_TOP,
    }


def big_figures(table: dict) -> dict:
    """The page's lead: where the plan stands now (the table's latest column, which is the
    tracker's current status by the same rule)."""
    latest = {row["code"]: row["counts"][-1] for row in table["rows"]}
    total = table["total"] or 1
    return {
        "total": table["total"],
        "completed": latest[Status.COMPLETED],
        "in_progress": latest[Status.IN_PROGRESS],
        "in_progress_share": round(100 * latest[Status.IN_PROGRESS] / total),
        "completed_share": round(100 * latest[Status.COMPLETED] / total),
    }


def in_bar_order(rows: list[dict]) -> list[dict]:
    """Completed first, as in the headline's bar, so both read the same way."""
    return sorted(rows, key=lambda row: BAR_ORDER.index(row["code"]))


def legend(table: dict) -> list[dict]:
    """The chart's lines, in the order the table's columns start with."""
    labels = {row["code"]: row["label"] for row in table["rows"]}
    return [spec | {"label": labels[spec["code"]]} for spec in SERIES]


def table_rows(table: dict) -> list[dict]:
    """The table's rows: one per date (so it grows down, not across), a cell per status in
    the headline's order (completed, in progress, … as the chart's legend)."""
    return [
        {
            "label": column["label"],
            "cells": [
                {"label": row["label"], "count": row["counts"][index]}
                for row in in_bar_order(table["rows"])
            ],
        }
        for index, column in enumerate(table["columns"])
    ]
