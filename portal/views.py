"""Site-wide pages: home, statements, health check and the error pages."""

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from events.models import Event
from portal import opendata
from portal.context_processors import resolved_links
from precincts.models import PrecinctBoundary
from programs.models import ProgramKind
from recommendations.headline import plan_headline
from recommendations.models import Recommendation, StatusUpdate

logger = logging.getLogger(__name__)


# The home page's ways in: one appears once its section exists.
WAYS_IN = [
    (
        _("Our programs"),
        "programs:list",
        _("What each program does, who it serves and how to take part."),
    ),
    (
        _("Find your precinct"),
        "precincts:list",
        _("Your precinct's address and phone number, by ZIP code or neighborhood."),
    ),
    (
        pgettext_lazy("a way in", "Volunteer"),
        "programs:volunteer",
        _("Give your time and skills: sign up in a few minutes."),
    ),
    (
        _("The safety plan"),
        "recommendations:tracker",
        _("Follow the city's public-safety plan, recommendation by recommendation."),
    ),
]


@require_safe
def home(request):
    ways_in = [
        {"title": title, "url": url, "text": text} for title, url, text in resolved_links(WAYS_IN)
    ]
    counts = Recommendation.objects.counts_by_status()
    headline = plan_headline(counts) if sum(counts.values()) else None
    context = {
        "ways_in": ways_in,
        "program_kinds": ProgramKind.objects.with_published_programs(),
        "headline": headline,
        "latest_changes": list(StatusUpdate.objects.changes_since()[:3]) if headline else [],
        "starting_point": StatusUpdate.objects.starting_counts() if headline else [],
        "upcoming_events": Event.objects.next_public(limit=3),
        "locate": PrecinctBoundary.objects.exists(),  # the finder's "Use my location"
    }
    return render(request, "portal/home.html", context)


@require_safe
def accessibility(request):
    return render(request, "portal/accessibility.html")


@require_safe
def privacy(request):
    return render(
        request, "portal/privacy.html", {"retention_days": settings.SIGNUP_RETENTION_DAYS}
    )


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def security_txt(request):
    """RFC 9116: where to report a security problem, as the city configures it (none is made up:
    without SECURITY_CONTACT there is no file, and `check --deploy` says so)."""
    if not settings.SECURITY_CONTACTS:
        raise Http404("no security contact configured")
    expires = timezone.now() + datetime.timedelta(days=settings.SECURITY_TXT_DAYS)
    lines = [f"Contact: {contact}" for contact in settings.SECURITY_CONTACTS]
    lines += [
        f"Expires: {expires.astimezone(datetime.UTC):%Y-%m-%dT00:00:00Z}",
        "Preferred-Languages: en, es",
        f"Canonical: {settings.SITE_URL}{reverse('security_txt')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def json_file(data: dict) -> JsonResponse:
    """A public JSON document, readable as it is sent (cached like a page)."""
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})


@require_safe
def data_json(request):
    """The portal's data catalogue, DCAT-US 1.1 (Project Open Data), for data.gov-style
    harvesters."""
    return json_file(opendata.catalog())


@require_safe
def openapi_json(request):
    return json_file(opendata.openapi())


@require_safe
def favicon(request):
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure means "no"; the kind is logged, never shown
        logger.exception("health check: database did not answer")
        return False


def cache_answers() -> bool:
    try:
        cache.set("healthz", "ok", 10)
        return cache.get("healthz") == "ok"
    except Exception:
        logger.exception("health check: cache did not answer")
        return False


@never_cache
@require_safe
def healthz(request):
    """Whether the database and the cache answer: for load balancers and uptime checks."""
    checks = {"database": database_answers(), "cache": cache_answers()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable"} | {
        name: "ok" if ok else "unavailable" for name, ok in checks.items()
    }
    return JsonResponse(body, status=200 if healthy else 503)
