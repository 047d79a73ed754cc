"""Site-wide middleware: HEAD, the language, the request body limit, and the maintenance page
when the site is closed or the database away."""

import logging

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.shortcuts import render
from django.utils import translation

from portal.errors import service_unavailable

logger = logging.getLogger(__name__)


class ServiceUnavailableMiddleware:
    """Answer 503 with the maintenance page in maintenance mode or when the database is away.

    Nothing is kept between requests, so the site recovers by itself once the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.MAINTENANCE_MODE and not request.path.startswith("/healthz"):
            return service_unavailable(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            logger.error("database unavailable: %s", type(exception).__name__)
            return service_unavailable(request)
        return None


SPANISH_PREFIX = "/es/"


def language_of_path(path: str) -> str:
    """Spanish under /es/, English everywhere else: the address alone says the language."""
    return "es" if path == SPANISH_PREFIX[:-1] or path.startswith(SPANISH_PREFIX) else "en"


class LanguageFromPathMiddleware:
    """Activate the language the address names, for the view, its templates and error pages.

    Never a cookie, the session, the browser's Accept-Language or the address of the client:
    a visitor chooses by the link on every page, and a page's address always gives the same
    language (so the page cache, keyed by path, never serves one language for the other).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_of_path(request.path_info)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response


UNSTORABLE = "\x00"  # PostgreSQL refuses a NUL in text; other code points it stores


class UnstorableCharacterMiddleware:
    """An address with a character no database column can hold: a path is the address of
    nothing (404), a query string to the staff admin a bad request (400). Public pages read
    their parameters through forms that refuse such a value beside the field.

    Every view, the admin's included, then never hands such a character to a query (which
    PostgreSQL refuses with an error: a 500).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if UNSTORABLE in request.path:
            raise Http404("No page has this address.")
        if "%00" in request.META.get("QUERY_STRING", "") and request.path.startswith(
            "/" + settings.ADMIN_URL
        ):
            raise BadRequest("A NUL character in the query string.")
        return self.get_response(request)


class HeadWithoutBodyMiddleware:
    """HEAD answers exactly as GET, without the body (whatever server runs the portal).

    First in the chain, so the page cache and ETags see the GET response in full; the views
    see a GET, so every page that answers GET answers HEAD (a view allowing only GET and POST
    would refuse HEAD with a 405).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = self.get_response(request)
        if head:
            request.method = "HEAD"
        if head and not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response


class RequestBodyLimitMiddleware:
    """Refuse a request body over the limit, in any encoding (form, multipart, files): a 400
    page that says what happened.

    Django's own DATA_UPLOAD_MAX_MEMORY_SIZE leaves out file parts of a multipart body; this
    holds for everything, before any of it is read. Staff uploads in the admin get more room.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.headers.get("content-length") or 0)
        except ValueError:
            return render(request, "errors/400.html", status=400)
        staff = request.path.startswith("/" + settings.ADMIN_URL)
        limit = settings.STAFF_UPLOAD_MAX_SIZE if staff else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > limit:
            return render(request, "errors/too_large.html", status=400)
        return self.get_response(request)


class SecretAddressesNotIndexedMiddleware:
    """A page whose address carries a secret token (follow confirmation, manage, unsubscribe)
    tells search engines not to index it or follow its links, whatever the page's answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and "token" in match.kwargs:
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response
