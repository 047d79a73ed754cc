from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from portal.models import SiteSettings
from programs.models import Program, ProgramKind


def url_or_none(name: str) -> str | None:
    """The URL of a page another part of the site provides, or None until it exists."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@require_GET
def program_list(request):
    kinds = ProgramKind.objects.with_published_programs()
    return render(request, "programs/program_list.html", {"kinds": kinds})


@require_GET
def program_detail(request, slug):
    program = get_object_or_404(Program.objects.published().select_related("kind"), slug=slug)
    volunteer_url = url_or_none("programs:volunteer")
    context = {
        "program": program,
        "precincts_url": url_or_none("precincts:list") if program.contact_by_precinct else None,
        "signup_url": f"{volunteer_url}?program={program.slug}"
        if volunteer_url and program.takes_signups
        else None,
        "cope_email": SiteSettings.current().email,
    }
    return render(request, "programs/program_detail.html", context)
