"""Whole-page cache for anonymous visitors, in the shared cache, invalidated at once by staff.

Every cached page is stored under the current *content generation*. Any change to public
content (a model save or delete, or a service that writes with ``update()``) bumps the
generation after its transaction commits, so every process stops serving the old pages at
once: the generation lives in the shared cache (Redis in production), not in a process.
"""

import hashlib
import logging
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag

from core.signals import public_content_changed
from portal.cache import ForgivingRedisCache

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
LOCAL_PAGES = 256  # pages each process also keeps in memory (about 25 KB each)
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


def generation() -> int | None:
    """The current content generation; None while the shared cache does not answer."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY)
    return value


def bump_generation() -> None:
    try:
        value = cache.incr(GENERATION_KEY)
    except Exception:  # missing key or cache away: a fresh value invalidates just as well
        value = (cache.get(GENERATION_KEY) or 1) + 1
        cache.set(GENERATION_KEY, value, None)
    backend = caches["default"]
    if isinstance(backend, ForgivingRedisCache):
        watch = backend.__dict__.get("_generation_watch")
        if watch is not None and watch.value is not None:
            watch.value = max(watch.value, value)  # this process knows at once
        try:  # and every other process a moment later (GenerationWatch)
            client = backend._cache.get_client(write=True)
            client.publish(backend.make_key(GENERATION_KEY), value)
        except Exception:
            logger.warning("page cache: generation %s not announced", value)


class GenerationWatch(threading.Thread):
    """This process's copy of the generation, kept current by Redis pub/sub.

    A cached page then costs no Redis round trip at all. Whenever the subscription is not
    known to be live (starting, reconnecting, Redis away), `value` is None and the middleware
    asks Redis on every request instead, as before.
    """

    def __init__(self, backend):
        super().__init__(daemon=True, name="pagecache-generation")
        self.backend = backend
        self.value = None

    def read(self):
        value = self.backend.get(GENERATION_KEY)
        if value is None:
            self.backend.add(GENERATION_KEY, 1, None)
            value = self.backend.get(GENERATION_KEY)
        return value

    def run(self):
        channel = self.backend.make_key(GENERATION_KEY)
        while True:
            try:
                pubsub = self.backend._cache.get_client(write=True).pubsub()
                pubsub.subscribe(channel)
                while (pubsub.get_message(timeout=5) or {}).get("type") != "subscribe":
                    pass
                self.value = self.read()  # after subscribing: no announcement is missed
                for message in pubsub.listen():
                    if message["type"] == "message":
                        incoming = int(message["data"])
                        # Announcements can cross; and a reset Redis starts again at 1. When
                        # one is not the next step up, Redis itself says what is current.
                        current = self.value
                        self.value = (
                            incoming
                            if current is not None and incoming > current
                            else (self.read())
                        )
            except Exception:
                self.value = None
                time.sleep(1)


def current_generation() -> int | None:
    backend = caches["default"]
    if isinstance(backend, ForgivingRedisCache):
        watch = backend.__dict__.get("_generation_watch")
        if watch is None:
            watch = backend._generation_watch = GenerationWatch(backend)
            watch.start()
        if watch.value is not None:
            return watch.value
    return generation()


def content_changed() -> None:
    """Invalidate every cached page once the current transaction commits."""
    transaction.on_commit(bump_generation)


def on_model_change(sender, **kwargs):
    label = sender._meta.label_lower
    if sender._meta.app_label in PUBLIC_APPS and label not in PRIVATE_MODELS:
        content_changed()


def on_public_content_changed(sender, **kwargs):
    content_changed()


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(on_model_change, dispatch_uid=f"pagecache-{signal}")
    public_content_changed.connect(on_public_content_changed, dispatch_uid="pagecache-public")


def page_key(request) -> str:
    url = request.get_full_path()
    variant = "htmx" if request.headers.get("HX-Request") else "page"
    digest = hashlib.sha256(f"{request.method}:{url}".encode()).hexdigest()
    return f"pagecache:{variant}:{digest}"


class PageCacheMiddleware:
    """Serve anonymous GETs from the shared cache; store the cacheable responses.

    A hit costs one small cache round trip (the generation) when this process served the page
    lately, else one more for the page; the status, headers and body are stored as plain values.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Each process keeps the pages it served last, keyed like the shared cache and checked
        # against the shared generation, so a hit needs only the generation from Redis.
        self.local = OrderedDict()

    def remember(self, key, stored):
        self.local[key] = stored
        self.local.move_to_end(key)
        while len(self.local) > LOCAL_PAGES:
            self.local.popitem(last=False)

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
        gen = current_generation()
        if gen is None:  # no shared cache: no way to know what is current, so nothing cached
            return self.get_response(request)
        key = page_key(request)
        stored = self.local.get(key)
        if stored is None or stored[0] != gen:
            stored = cache.get(key)
            if stored is not None and stored[0] == gen:
                self.remember(key, stored)
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
                stored = (gen, list(response.items()), response.content)
                cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
                self.remember(key, stored)
            response["X-Cache"] = "miss"
        return response
