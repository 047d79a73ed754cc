import re

from django.conf import settings
from django.core import signing
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from core import schema_org
from core.languages import shown_language
from core.schema_org import json_ld
from programs import ratelimit
from programs.forms import VolunteerSignupForm
from programs.models import Program, ProgramKind
from programs.services import submit_signup

THANKS_SALT = "programs.volunteer-thanks"
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")


@require_safe
def program_list(request):
    kinds = ProgramKind.objects.with_published_programs()
    return render(request, "programs/program_list.html", {"kinds": kinds})


@require_safe
def program_detail(request, slug):
    program = get_object_or_404(Program.objects.published().select_related("kind"), slug=slug)
    context = {
        "program": program,
        # The summary, where there is one in the page's language; the name otherwise.
        "description": program.summary
        if program.summary and shown_language(program, "summary") == get_language()
        else program.name,
        "signup_url": f"{reverse('programs:volunteer')}?program={program.slug}"
        if program.takes_signups
        else None,
        # Its other events: a class is listed once, among its classes.
        "upcoming_events": program.events.next_public(limit=5, capacity__isnull=True)
        if program.has_classes
        else program.events.next_public(limit=5),
        # Its classes: its upcoming events with seats (registration is the app "ask"'s).
        "classes": program.events.next_public(limit=10, capacity__isnull=False)
        if program.has_classes
        else None,
    }
    context["og"] = {"title": program.name, "description": context["description"]}
    context["json_ld"] = json_ld(
        {
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": program.name,
            "description": context["description"],
            "url": settings.SITE_URL + program.get_absolute_url(),
            "serviceType": program.kind.name,
            "provider": schema_org.cope(),
            "areaServed": {"@type": "City", "name": "Birmingham, Alabama"},
            "availableChannel": {
                "@type": "ServiceChannel",
                "servicePhone": {"@type": "ContactPoint", "telephone": settings.COPE_PHONE},
            },
        }
    )
    return render(request, "programs/program_detail.html", context)


def signup_page(request, form, *, status=200, limited=False):
    context = {"form": form, "limited": limited, "retention_days": settings.SIGNUP_RETENTION_DAYS}
    response = render(request, "programs/volunteer.html", context, status=status)
    if limited:
        response["Retry-After"] = str(ratelimit.WINDOW_SECONDS)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def volunteer(request):
    """The sign-up form: POST, then redirect; errors re-show it with what was typed (422)."""
    if request.method in {"GET", "HEAD"}:
        slug = request.GET.get("program", "")
        programs = Program.objects.taking_volunteers()
        chosen = programs.filter(slug=slug) if SLUG.fullmatch(slug) else programs.none()
        form = VolunteerSignupForm(initial={"programs": list(chosen)})
        return signup_page(request, form)

    if request.FILES:  # the form takes no files: refuse rather than ignore them
        return render(request, "errors/too_large.html", status=400)
    form = VolunteerSignupForm(request.POST)
    if ratelimit.is_limited(request):
        form.is_valid()  # show any errors too, with the values kept
        return signup_page(request, form, status=429, limited=True)
    if not form.is_valid():
        return signup_page(request, form, status=422)
    if not ratelimit.take(request):  # counted atomically: concurrent posts cannot slip past
        return signup_page(request, form, status=429, limited=True)
    data = dict(form.cleaned_data)
    data.pop("website")
    signup = submit_signup(**data, language=request.LANGUAGE_CODE)
    reference = signing.dumps(
        {"reference": signup.reference, "emailed": bool(signup.email)}, salt=THANKS_SALT
    )
    return redirect(f"{reverse('programs:volunteer_thanks')}?ref={reference}")


@require_safe
def volunteer_thanks(request):
    """The reference, and whether a confirmation was emailed (None: a link from before it said)."""
    try:
        signed = signing.loads(request.GET.get("ref", ""), salt=THANKS_SALT, max_age=86400)
    except signing.BadSignature:
        signed = None
    if isinstance(signed, dict):
        reference, emailed = signed.get("reference"), signed.get("emailed")
    else:
        reference, emailed = signed, None
    request.alternate_query = {"ref": request.GET["ref"]} if reference else {}
    context = {"reference": reference, "emailed": emailed}
    return render(request, "programs/volunteer_thanks.html", context)
