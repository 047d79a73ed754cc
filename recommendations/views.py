from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from core.csvsafe import csv_response
from recommendations import exports, progress
from recommendations.forms import TrackerFilterForm
from recommendations.models import (
    FIRST_NUMBER,
    LAST_NUMBER,
    FocusArea,
    Recommendation,
    Status,
    status_summary,
)


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
        "summary": status_summary(counts),
        "without_status": counts[""],
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
    context = {"table": table, "chart": progress.chart(table), "statuses": Status.choices}
    return render(request, "recommendations/progress.html", context)


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
