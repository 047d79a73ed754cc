"""Whole-page cache for anonymous visitors, in the shared cache, invalidated at once by staff.

Every cached page is stored under the current *content generation*. Any change to public
content (a model save or delete, or a service that writes with ``update()``) bumps the
generation after its transaction commits, so every process stops serving the old pages at
once: the generation lives in the shared cache (Redis in production), not in a process.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
PUBLIC_APPS = {"portal", "programs", "precincts", "recommendations", "events"}
# Models that never appear on a public page: changing them leaves cached pages alone.
PRIVATE_MODELS = {
    "programs.volunteersignup",
    "programs.signupstatechange",
    "programs.decisionemail",
}
CACHEABLE_TYPES = (
    "text/html",
    "text/csv",
    "application/json",
    "application/atom+xml",
    "text/vcard",
    "text/calendar",
    "text/plain",
)


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = 1
        cache.add(GENERATION_KEY, value, None)
    return value


def bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except Exception:  # missing key or cache away: a fresh value invalidates just as well
        cache.set(GENERATION_KEY, (cache.get(GENERATION_KEY) or 1) + 1, None)


def content_changed() -> None:
    """Invalidate every cached page once the current transaction commits."""
    transaction.on_commit(bump_generation)


def on_model_change(sender, **kwargs):
    label = sender._meta.label_lower
    if sender._meta.app_label in PUBLIC_APPS and label not in PRIVATE_MODELS:
        content_changed()


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(on_model_change, dispatch_uid=f"pagecache-{signal}")


def page_key(request) -> str:
    url = request.get_full_path()
    variant = "htmx" if request.headers.get("HX-Request") else "page"
    digest = hashlib.sha256(f"{request.method}:{url}".encode()).hexdigest()
    return f"pagecache:{variant}:{digest}"


class PageCacheMiddleware:
    """Serve anonymous GETs from the shared cache; store the cacheable responses.

    A hit costs one cache round trip (the page and the generation together) and no pickled
    response object: the status, headers and body are stored as plain values.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def cacheable_request(self, request) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in {"GET", "HEAD"}
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
            and not request.path.startswith("/" + settings.ADMIN_URL)
        )

    @staticmethod
    def cacheable_response(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and response.get("Content-Type", "").startswith(CACHEABLE_TYPES)
            and "Cookie" not in response.get("Vary", "")
            and "private" not in response.get("Cache-Control", "")
            and "no-cache" not in response.get("Cache-Control", "")
        )

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        key = page_key(request)
        found = cache.get_many([GENERATION_KEY, key])
        gen = found.get(GENERATION_KEY) or generation()
        stored = found.get(key)
        if stored is not None and stored[0] == gen:
            _, headers, content = stored
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self.cacheable_response(response):
            patch_vary_headers(response, ["HX-Request"])
            patch_cache_control(
                response,
                public=True,
                max_age=settings.BROWSER_CACHE_SECONDS,
                must_revalidate=True,
            )
            set_response_etag(response)
            if gen == generation():  # content did not change while this page was made
                headers = list(response.items())
                cache.set(key, (gen, headers, response.content), settings.PAGE_CACHE_SECONDS)
            response["X-Cache"] = "miss"
        return response
