from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from ask import ratelimit
from ask.forms import RegistrationForm, SpeakerRequestForm, WalkRequestForm
from ask.models import Registration, RegistrationState
from ask.services import RegistrationClosed, cancel_registration, register, submit_request
from events.models import Event
from precincts.models import Precinct
from programs.models import Door, Program

THANKS_SALT = "ask.request-thanks"


def form_page(request, template, context, *, status=200, limited=False):
    context |= {"limited": limited, "retention_days": settings.SIGNUP_RETENTION_DAYS}
    response = render(request, template, context, status=status)
    if limited:
        response["Retry-After"] = str(ratelimit.WINDOW_SECONDS)
    return response


def handle(request, form_class, template, context, **fixed):
    """GET shows the form; POST saves it all or nothing, then redirects (PRG). Errors re-show
    it with everything typed (422); over the hourly allowance, 429 with the answers kept."""
    if request.method in {"GET", "HEAD"}:
        return form_page(request, template, context | {"form": form_class()})
    if request.FILES:  # the form takes no files: refuse rather than ignore them
        return render(request, "errors/too_large.html", status=400)
    form = form_class(request.POST)
    context["form"] = form
    if ratelimit.is_limited(request):
        form.is_valid()  # show any errors too, with the values kept
        return form_page(request, template, context, status=429, limited=True)
    if not form.is_valid():
        return form_page(request, template, context, status=422)
    if not ratelimit.take(request):  # counted atomically: concurrent posts cannot slip past
        return form_page(request, template, context, status=429, limited=True)
    saved = submit_request(**form.request_fields(), **fixed, language=request.LANGUAGE_CODE)
    reference = signing.dumps(
        {"reference": saved.reference, "emailed": bool(saved.email), "kind": saved.kind},
        salt=THANKS_SALT,
    )
    return redirect(f"{reverse('ask:thanks')}?ref={reference}")


@require_http_methods(["GET", "HEAD", "POST"])
def speaker_request(request, slug):
    """Request a speaker: for a program staff marked as one groups request."""
    program = get_object_or_404(
        Program.objects.published().filter(door=Door.REQUEST).select_related("kind"),
        slug=slug,
    )
    topics = list(
        Program.objects.published().order_by("kind__order", "order").values_list("name", flat=True)
    )
    hint = gettext(
        "Up to 1,000 characters. If one of COPE's programs is your topic, name it: %(names)s."
    )
    context = {
        "program": program,
        "topics_hint": hint % {"names": ", ".join(topics)},
        "requirements": [program] if program.requirements else [],
    }
    return handle(request, SpeakerRequestForm, "ask/speaker_request.html", context, program=program)


@require_http_methods(["GET", "HEAD", "POST"])
def walk_request(request, slug):
    """Request a community walk or a meeting with officers, in this precinct's queue."""
    precinct = get_object_or_404(Precinct, slug=slug)
    context = {"precinct": precinct, "finder_url": reverse("precincts:find")}
    return handle(request, WalkRequestForm, "ask/walk_request.html", context, precinct=precinct)


@require_safe
def thanks(request):
    """The reference, and whether a confirmation was emailed."""
    try:
        signed = signing.loads(request.GET.get("ref", ""), salt=THANKS_SALT, max_age=86400)
    except signing.BadSignature:
        signed = None
    signed = signed if isinstance(signed, dict) else {}
    request.alternate_query = {"ref": request.GET["ref"]} if signed else {}
    context = {
        "reference": signed.get("reference"),
        "emailed": signed.get("emailed"),
        "kind": signed.get("kind"),
    }
    return render(request, "ask/thanks.html", context)


def seats(event) -> dict:
    """The class's seats: how many, how many are left (one query)."""
    taken = event.registrations.seated().count()
    return {"capacity": event.capacity, "left": max(event.capacity - taken, 0)}


@require_http_methods(["GET", "HEAD", "POST"])
def registration(request, slug):
    """A seat in a class, or the waiting list when it is full; PRG, errors kept (422)."""
    event = get_object_or_404(Event.objects.published(), slug=slug, capacity__isnull=False)
    template = "ask/registration.html"
    context = {
        "event": event,
        "open": event.takes_registrations,
        "seats": seats(event),
        # What its programs' staff wrote about who can take part, shown before the form.
        "requirements": [p for p in event.programs.published() if p.requirements],
    }
    if request.method in {"GET", "HEAD"} or not context["open"]:
        return form_page(request, template, context | {"form": RegistrationForm()})
    if request.FILES:
        return render(request, "errors/too_large.html", status=400)
    form = RegistrationForm(request.POST)
    context["form"] = form
    if ratelimit.is_limited(request):
        form.is_valid()
        return form_page(request, template, context, status=429, limited=True)
    if not form.is_valid():
        return form_page(request, template, context, status=422)
    if not ratelimit.take(request):
        return form_page(request, template, context, status=429, limited=True)
    try:
        saved = register(event=event, **form.registration_fields(), language=request.LANGUAGE_CODE)
    except RegistrationClosed:
        context["open"] = False
        return form_page(request, template, context, status=409)
    kind = "waiting" if saved.state == RegistrationState.WAITING else "seat"
    reference = signing.dumps(
        {"reference": saved.reference, "emailed": True, "kind": kind}, salt=THANKS_SALT
    )
    return redirect(f"{reverse('ask:thanks')}?ref={reference}")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request, token):
    """The cancel link of a registration's emails: GET asks, POST cancels (safe to repeat)."""
    found = Registration.objects.select_related("event").filter(token=token).first()
    if found is None:
        raise Http404("no such registration")
    cancelled = found.state == RegistrationState.CANCELLED
    if request.method == "POST" and not cancelled:
        cancel_registration(registration=found)
        cancelled = True
    return render(
        request, "ask/cancel.html", {"registration": found, "event": found.event, "done": cancelled}
    )
