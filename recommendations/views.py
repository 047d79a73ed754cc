from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from core.csvsafe import csv_response
from recommendations import exports, progress
from recommendations.forms import ChangesFilterForm, TrackerFilterForm
from recommendations.headline import plan_headline
from recommendations.models import (
    FIRST_NUMBER,
    LAST_NUMBER,
    FocusArea,
    Recommendation,
    StatusUpdate,
)

CHANGES_PER_PAGE = 25


def grouped(recommendations: list) -> list[dict]:
    """Entries for the list: consecutive rows the source lost become one group, not fourteen."""
    entries = []
    for recommendation in recommendations:
        if recommendation.details_published:
            entries.append({"recommendation": recommendation})
        elif entries and "lost" in entries[-1]:
            entries[-1]["lost"].append(recommendation)
        else:
            entries.append({"lost": [recommendation]})
    return entries


@require_safe
@vary_on_headers("HX-Request")
def tracker(request):
    everything = Recommendation.objects.all()
    counts = everything.counts_by_status()
    focus_areas = list(FocusArea.objects.all())
    form = TrackerFilterForm(request.GET or None, counts=counts, focus_areas=focus_areas)
    recommendations = list(form.filter(everything.for_tracker()))
    context = {
        "form": form,
        "recommendations": recommendations,
        "entries": grouped(recommendations),
        "headline": plan_headline(counts),
        "total": sum(counts.values()),
        "problems": form.problems(),
        "tracker_url": reverse("recommendations:tracker"),
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
    history = recommendation.updates.public_history()
    context = {
        "recommendation": recommendation,
        "history": list(history),
        "previous": number - 1 if number > FIRST_NUMBER else None,
        "next": number + 1 if number < LAST_NUMBER else None,
        "upcoming_events": recommendation.events.next_public(limit=5),
    }
    return render(request, "recommendations/detail.html", context)


@require_safe
def progress_over_time(request):
    table = progress.month_end_counts()
    context = {
        "table": table,
        "table_rows": progress.table_rows(table),
        "chart": progress.chart(table),
        "legend": progress.legend(table),
    }
    return render(request, "recommendations/progress.html", context)


@require_safe
def changes(request):
    form = ChangesFilterForm(request.GET or None)
    since = form.since_date()
    updates = StatusUpdate.objects.changes_since(since).select_related("recommendation")
    page = Paginator(updates, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "since": since,
        "page": page,
        "query": f"since={since:%Y-%m-%d}&" if since else "",
    }
    return render(request, "recommendations/changes.html", context)


def dated(name: str, extension: str) -> str:
    return f"cope-safety-plan-{name}-{timezone.localdate():%Y-%m-%d}.{extension}"


@require_safe
def recommendations_csv(request):
    rows = exports.recommendation_rows()
    return csv_response(
        dated("recommendations", "csv"),
        exports.RECOMMENDATION_FIELDS,
        ([row[f] for f in exports.RECOMMENDATION_FIELDS] for row in rows),
    )


@require_safe
def recommendations_json(request):
    return json_download(
        {"source": exports.SOURCE_NOTE, "recommendations": exports.recommendation_rows()},
        dated("recommendations", "json"),
    )


@require_safe
def status_updates_csv(request):
    rows = exports.status_update_rows()
    return csv_response(
        dated("status-updates", "csv"),
        exports.STATUS_UPDATE_FIELDS,
        ([row[f] for f in exports.STATUS_UPDATE_FIELDS] for row in rows),
    )


@require_safe
def status_updates_json(request):
    return json_download(
        {"source": exports.SOURCE_NOTE, "status_updates": exports.status_update_rows()},
        dated("status-updates", "json"),
    )


def json_download(data: dict, filename: str) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
