"""The error pages: each helps the visitor on, and none needs the database to render."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language

from portal.context_processors import nav_links


def render_without_database(template_name: str, status: int) -> HttpResponse:
    """Render an error page with no context processors, so it works while the database is down."""
    language = get_language()
    nav = [{"label": label, "url": url} for label, url in nav_links(language)]
    context = {
        "cope_phone": settings.COPE_PHONE,
        "nav": nav,
        "nav_key": "0" * len(nav),
        "LANGUAGE_CODE": language,
    }
    return HttpResponse(loader.render_to_string(template_name, context), status=status)


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def csrf_failure(request, reason=""):
    return render(request, "errors/403_csrf.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render_without_database("errors/500.html", status=500)


def service_unavailable(request=None):
    response = render_without_database("errors/503.html", status=503)
    response["Retry-After"] = "120"
    return response
