from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from precincts import finder, outline_map, schema_org
from precincts.forms import FinderForm, LocationForm
from precincts.models import Precinct, PrecinctBoundary
from precincts.vcard import vcard


@require_safe
def precinct_list(request):
    boundaries = list(PrecinctBoundary.objects.for_map())
    context = {
        "precincts": Precinct.objects.in_order(),
        "map": outline_map.draw(boundaries),
        "locate": bool(boundaries),  # "Use my location" needs boundaries to answer
    }
    if context["map"]:
        context["map_description"] = context["map"].description()
    return render(request, "precincts/precinct_list.html", context)


@require_safe
def precinct_detail(request, slug):
    precinct = get_object_or_404(Precinct, slug=slug)
    data = schema_org.police_station(precinct, url=settings.SITE_URL + precinct.get_absolute_url())
    context = {
        "precinct": precinct,
        "json_ld": schema_org.json_ld(data),
        "upcoming_events": precinct.events.next_public(limit=5),
        "neighborhoods": precinct.service_areas.neighborhoods_by_source(),
    }
    context["map"] = outline_map.draw(PrecinctBoundary.objects.for_map(), highlight=precinct)
    if context["map"]:
        context["map_description"] = context["map"].description()
    return render(request, "precincts/precinct_detail.html", context)


@require_safe
def precinct_vcard(request, slug):
    precinct = get_object_or_404(Precinct, slug=slug)
    card = vcard(precinct, url=settings.SITE_URL + precinct.get_absolute_url())
    response = HttpResponse(card, content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{precinct.slug}-precinct.vcf"'
    return response


@require_safe
@vary_on_headers("HX-Request")
def find(request):
    """The finder: the whole page, or for htmx just the answer (and the field, out of band).

    An address or a location is answered and forgotten: the response is never cached, so
    neither is kept anywhere (the access log leaves out query strings).
    """
    if "q" not in request.GET and ("lat" in request.GET or "lon" in request.GET):
        form = LocationForm(request.GET)
    else:
        form = FinderForm(request.GET if "q" in request.GET else None)
    context = {
        "form": form,
        "query": form.typed,
        "searched": form.is_bound,
        "locate": PrecinctBoundary.objects.exists(),  # "Use my location" needs boundaries
    }
    personal = isinstance(form, LocationForm)
    if form.is_valid():
        kind, value = form.cleaned_data["q"]
        personal = personal or kind == finder.By.ADDRESS
        context |= {
            "kind": kind,
            "value": value if kind == finder.By.ZIP else " ".join(form.typed.split()),
            "answer": finder.answer(kind=kind, value=value),
        }
    elif form.is_bound:
        context["error"] = form.error if personal else form.errors["q"][0]
    if request.htmx and not request.htmx.history_restore_request:
        context["out_of_band"] = True
        response = render(request, "precincts/finder.html#answer", context)
    else:
        response = render(request, "precincts/find.html", context)
    if personal:
        patch_cache_control(response, private=True, no_store=True)
    return response
