import functools
from datetime import date, datetime, time, timedelta

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from core import downloads
from core.csvsafe import CSV_CONTENT_TYPE, csv_chunks
from core.glossary import PageGlossary, plain_words
from core.schema_org import json_ld
from core.templatetags.translated import lang_attribute
from recommendations import exports, opendata, progress
from recommendations.forms import ChangesFilterForm, TrackerFilterForm, iso_day
from recommendations.headline import plan_headline
from recommendations.models import (
    FIRST_NUMBER,
    LAST_NUMBER,
    FocusArea,
    Recommendation,
    StatusUpdate,
    status_labels,
)

CHANGES_PER_PAGE = 25
DOWNLOADS = "recommendations"  # the content generation of core.downloads these files follow
CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "json": "application/json"}
LATEST_UPDATES = 20  # on a recommendation's page; the rest on its full history
HISTORY_PER_PAGE = 50
DATA_DESCRIPTION = _(
    "The City of Birmingham's public-safety plan, recommendation by recommendation, with the "
    "status of each and every status update since the city's first report, as COPE keeps it: "
    "CSV and JSON files, their data dictionary and how to cite them."
)


def grouped(recommendations: list) -> list[dict]:
    """Entries for the list: consecutive rows still missing (neither text nor status known)
    become one group, not fourteen; a row that gets either is listed on its own."""
    entries = []
    for recommendation in recommendations:
        if not recommendation.still_missing:
            entries.append({"recommendation": recommendation})
        elif entries and "lost" in entries[-1]:
            entries[-1]["lost"].append(recommendation)
        else:
            entries.append({"lost": [recommendation]})
    return entries


@functools.lru_cache(maxsize=256)
def short_note(note: str) -> str:
    """A progress note cut after 30 words, as the list shows it (kept: notes rarely change)."""
    return Truncator(note).words(30, truncate=" …")


@functools.lru_cache(maxsize=1024)
def row_opening(number, url, title, title_lang, status, status_label, updated) -> SafeString:
    """A row of the list up to its note, kept per process: the same row in another filter
    combination (or the same page after a change elsewhere in the plan) costs nothing."""
    when = format_html(' <span class="muted">{}</span>', updated) if updated else ""
    return format_html(
        '<li>\n<article aria-labelledby="rec-{}">\n<h3 id="rec-{}"><a href="{}"{}>'
        '<span class="number">{}.</span> {}</a></h3>\n'
        '<p><span class="status status-{}">{}</span>{}</p>\n',
        number,
        number,
        url,
        title_lang,
        number,
        title,
        status,
        status_label,
        when,
    )


@functools.lru_cache(maxsize=64)
def lost_rows(language: str, numbers: tuple[int, ...], tracker_url: str) -> SafeString:
    """One entry for consecutive rows still missing, in `language`, kept per process: it holds
    only words and the rows' numbers."""
    with translation.override(language):
        numbered = gettext("Recommendation %(number)s")
        lost = [
            {
                "number": number,
                "url": f"{tracker_url}{number}/",
                "label": numbered % {"number": number},
            }
            for number in numbers
        ]
        context = {"lost": lost, "first": numbers[0], "last": numbers[-1]}
        return render_to_string("recommendations/lost_rows.html", context)


@functools.cache
def row_words(language: str) -> tuple[str, str]:
    """The rows' two phrases in `language`, translated once per language and process."""
    with translation.override(language):
        return (
            gettext("updated %(date)s"),
            gettext("Text missing from the copy of the city's status report"),
        )


def tracker_rows(recommendations: list, glossary: PageGlossary, tracker_url: str) -> SafeString:
    """The list's rows, written here rather than by the template, whose per-row cost was most
    of an uncached render: each row's <li>, a group of rows still missing as one (lost_rows).
    Labels, dates and language marks are worked out once per page; a row's opening is kept
    (row_opening); its note is linked to the glossary as the page goes (first uses explained)."""
    language = get_language()
    labels = status_labels(language)
    updated, missing = row_words(language)
    dates = {}
    rows = []
    for entry in grouped(recommendations):
        if "lost" in entry:
            numbers = tuple(recommendation.number for recommendation in entry["lost"])
            rows.append(lost_rows(language, numbers, tracker_url))
            continue
        recommendation = entry["recommendation"]
        day = recommendation.status_date
        if day and day not in dates:
            dates[day] = updated % {"date": date_format(day, "DATE_FORMAT")}
        title = recommendation.display_title
        rows.append(
            row_opening(
                recommendation.number,
                f"{tracker_url}{recommendation.number}/",
                title or missing,
                lang_attribute(recommendation, "title", language) if title else "",
                recommendation.status or "none",
                labels[recommendation.status],
                dates[day] if day else "",
            )
        )
        note = recommendation.progress_note
        if note:
            rows.append(
                format_html(
                    "<p{}>{}</p>\n",
                    lang_attribute(recommendation, "progress_note", language),
                    plain_words(short_note(note), glossary),
                )
            )
        rows.append("</article>\n</li>\n")
    return mark_safe("".join(rows))  # noqa: S308 (every part is built by format_html or a template)


@require_safe
@vary_on_headers("HX-Request")
def tracker(request):
    everything = Recommendation.objects.all()
    counts = everything.counts_by_status()
    focus_areas = list(FocusArea.objects.all())
    form = TrackerFilterForm(request.GET or None, counts=counts, focus_areas=focus_areas)
    recommendations = list(form.filter(everything.for_tracker()))
    glossary = PageGlossary()  # the page's (the context processor's is the same, unused here)
    tracker_url = reverse("recommendations:tracker")
    context = {
        "form": form,
        "tracker_url": tracker_url,
        "recommendations": recommendations,
        "rows": tracker_rows(recommendations, glossary, tracker_url),
        "glossary": glossary,
        "headline": plan_headline(counts),
        "total": sum(counts.values()),
        "problems": form.problems(),
    }
    template = "recommendations/tracker.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@require_safe
def detail(request, number):
    if not FIRST_NUMBER <= number <= LAST_NUMBER:
        raise Http404
    recommendation = get_object_or_404(Recommendation.objects.for_tracker(), number=number)
    latest = list(recommendation.updates.public_history()[: LATEST_UPDATES + 1])
    context = {
        "recommendation": recommendation,
        "history": latest[:LATEST_UPDATES],
        "has_older": len(latest) > LATEST_UPDATES,
        "previous": number - 1 if number > FIRST_NUMBER else None,
        "next": number + 1 if number < LAST_NUMBER else None,
        "upcoming_events": recommendation.events.next_public(limit=5),
    }
    return render(request, "recommendations/detail.html", context)


@require_safe
def history(request, number):
    """A recommendation's whole public history, newest first, a page at a time."""
    if not FIRST_NUMBER <= number <= LAST_NUMBER:
        raise Http404
    recommendation = get_object_or_404(Recommendation, number=number)
    updates = recommendation.updates.public_history()
    page = Paginator(updates, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    context = {"recommendation": recommendation, "page": page, "history": page.object_list}
    return render(request, "recommendations/history.html", context)


@require_safe
def progress_over_time(request):
    table = progress.labelled(progress.month_end_counts_kept())
    context = {
        "table": table,
        "table_rows": progress.table_rows(table),
        "table_header": progress.in_bar_order(table["rows"]),
        "figures": progress.big_figures(table),
        "chart": progress.chart(table),
        "legend": progress.legend(table),
    }
    return render(request, "recommendations/progress.html", context)


def seek_page(updates, per_page: int, number):
    """A page of `updates` whose rows are found by their ids first, in the history's index
    (statusupdate_history_order on PostgreSQL, without reading the rows it skips), then read
    with their recommendation in the same query. A page past the middle is counted from the
    far end (the same index read backwards), so the last page of 82,000 costs what the first
    does, and the middle one half a full walk."""
    ids = updates.values("pk")
    page = Paginator(ids, per_page).get_page(number)
    count, start, end = page.paginator.count, page.start_index() - 1, page.end_index()
    if start > count // 2:
        window = ids.reverse()[count - end : count - start]
    else:
        window = ids[max(start, 0) : end]
    page.object_list = list(updates.filter(pk__in=window))
    return page


@require_safe
def data(request):
    """The data page: what each download holds, column by column, how ?since= narrows it, how
    often it changes, its licence and how to cite it (and a schema.org Dataset)."""
    modified = opendata.last_changed()
    context = {
        "downloads": [
            {
                "download": download,
                "csv": download.href("csv"),
                "json": download.href("json"),
                "columns": [
                    {"column": column, "type": opendata.TYPE_LABELS[column.type]}
                    for column in download.columns
                ],
            }
            for download in opendata.DOWNLOADS
        ],
        "licence": opendata.licence(),
        "modified": modified,
        "page_url": opendata.page_url(),
        "publisher": opendata.PUBLISHER,
        "dataset_title": opendata.TITLE,
        "json_ld": json_ld(
            opendata.schema_org_dataset(description=str(DATA_DESCRIPTION), modified=modified)
        ),
    }
    return render(request, "recommendations/data.html", context)


@require_safe
def datapackage_json(request):
    """The Frictionless Data Package of the CSV files: a Table Schema per file."""
    return JsonResponse(
        opendata.datapackage(), json_dumps_params={"ensure_ascii": False, "indent": 1}
    )


def start_of(day: date | None) -> datetime | None:
    """The start of `day` in Birmingham: what ?since= counts from, on every page and file."""
    if day is None:
        return None
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


@require_safe
def changes(request):
    form = ChangesFilterForm(request.GET or None)
    since = form.since_date()
    updates = StatusUpdate.objects.changes_since(start_of(since))
    page = seek_page(updates, CHANGES_PER_PAGE, request.GET.get("page"))
    context = {
        "form": form,
        "since": since,
        "page": page,
        "query": f"since={since:%Y-%m-%d}&" if since else "",
        # the starting point closes the whole log (its last page), never a "since" view
        "starting_point": (
            StatusUpdate.objects.starting_counts() if not since and not page.has_next() else []
        ),
    }
    return render(request, "recommendations/changes.html", context)


def dated(name: str, extension: str) -> str:
    return f"cope-safety-plan-{name}-{timezone.localdate():%Y-%m-%d}.{extension}"


def since_parameter(request):
    """?since=YYYY-MM-DD as the start of that day in Birmingham; None when not given.

    Raises ValueError with a message for the person when the value is not such a date.
    """
    raw = request.GET.get("since", "").strip()
    if not raw:
        return None
    day = iso_day(raw)
    if day is None:
        raise ValueError(
            "The since parameter must be a date written YYYY-MM-DD, like 2025-01-31: "
            "the file then holds the updates recorded or retracted on or after that day."
        )
    return start_of(day)


# The ?since= files kept on disk (each built once per change of the plan); older ones are
# removed first and built again if asked for.
SINCE_FILES_KEPT = 40


_first_change_day: dict[str, date | None] = {}


def first_change_day() -> date | None:
    """The change log's first day, read once per version of the plan in each process (a key
    read instead of a scan of the history on every ?since= download)."""
    token = downloads.generation(DOWNLOADS)
    if token not in _first_change_day:
        _first_change_day.clear()
        _first_change_day[token] = StatusUpdate.objects.first_change_day()
    return _first_change_day[token]


def since_day(since: datetime | None) -> date | None:
    """The ?since= day a file is built for: any day before the first change recorded gives the
    same rows as that first day, and any day after tomorrow the same (none) as tomorrow, so
    however many dates people try there are only as many files as days in the log."""
    if since is None:
        return None
    day = timezone.localdate(since)
    first = first_change_day()
    tomorrow = timezone.localdate() + timedelta(days=1)
    return min(max(day, first or tomorrow), tomorrow)


def download(request, *, name, extension, chunks, since=None):
    """A download sent from its file once built (core.downloads): one file for the whole
    content, one per ?since= day (a bounded family)."""
    day = since_day(since)
    return downloads.serve(
        request,
        name=DOWNLOADS,
        # its links come from SITE_URL, not the Host header
        variant=f"{name}.{extension}" + (f"?since={day}" if day else ""),
        chunks=lambda: chunks(start_of(day)),
        content_type=CONTENT_TYPES[extension],
        filename=dated(name, extension),
        kept=SINCE_FILES_KEPT if day else None,
    )


@require_safe
def recommendations_csv(request):
    return download(
        request,
        name="recommendations",
        extension="csv",
        chunks=lambda _: csv_chunks(
            exports.RECOMMENDATION_FIELDS,
            exports.csv_values(exports.recommendation_rows(), exports.RECOMMENDATION_FIELDS),
        ),
    )


@require_safe
def recommendations_json(request):
    return download(
        request,
        name="recommendations",
        extension="json",
        chunks=lambda _: exports.json_chunks(
            source=exports.SOURCE_NOTE,
            key="recommendations",
            rows=exports.recommendation_rows(),
        ),
    )


@require_safe
def status_updates_csv(request):
    try:
        since = since_parameter(request)
    except ValueError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    return download(
        request,
        name="status-updates",
        extension="csv",
        since=since,
        chunks=lambda start: csv_chunks(
            exports.STATUS_UPDATE_FIELDS,
            exports.csv_values(
                exports.status_update_rows(since=start), exports.STATUS_UPDATE_FIELDS
            ),
        ),
    )


@require_safe
def status_updates_json(request):
    try:
        since = since_parameter(request)
    except ValueError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    return download(
        request,
        name="status-updates",
        extension="json",
        since=since,
        chunks=lambda start: exports.json_chunks(
            source=exports.SOURCE_NOTE,
            key="status_updates",
            rows=exports.status_update_rows(since=start),
        ),
    )
