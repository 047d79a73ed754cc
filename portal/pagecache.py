"""Whole-page cache for anonymous visitors, in the shared cache, invalidated at once by staff.

Every cached page is stored under the current *content generation*, a random token. Any change
to public content (a model save or delete, or a service that writes with ``update()``) replaces
the token after its transaction commits, so every process stops serving the old pages at once:
the generation lives in the shared cache (Redis in production), not in a process. Tokens never
repeat, so a Redis that was flushed or restarted cannot bring an old page back; and no copy,
shared or in a process, is served once it is older than PAGE_CACHE_SECONDS, whatever Redis did
meanwhile (a change made while Redis was away shows within that time of its return).
"""

import contextlib
import hashlib
import logging
import secrets
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag

from core.signals import public_content_changed
from portal import compression
from portal.cache import ForgivingRedisCache

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
LOCAL_PAGES = 256  # pages each process also keeps in memory, at most
LOCAL_BYTES = 16 * 1024 * 1024  # and at most this many bytes of them
LOCAL_MAX_PAGE_BYTES = 512 * 1024  # a bigger response is not kept in the process
SHARED_MAX_PAGE_BYTES = 2 * 1024 * 1024  # nor, over this, in the shared cache
LEARNED_PATHS = 4096  # paths whose query parameters this process knows the views read
HEARTBEAT_SECONDS = 5  # a silent subscription is pinged; one silent twice as long is dropped
PUBLIC_APPS = {"core", "portal", "programs", "precincts", "recommendations", "events"}
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
clock = time.time  # wall-clock seconds: copies are dated across processes


def new_token() -> str:
    return secrets.token_hex(8)


def redis_backend() -> ForgivingRedisCache | None:
    backend = caches["default"]
    return backend if isinstance(backend, ForgivingRedisCache) else None


def channel_name(backend: ForgivingRedisCache) -> str:
    """The pub/sub channel: pub/sub ignores database numbers, so the name carries the database
    as well as the key prefix, and two deployments on one Redis server never meet."""
    return f"{backend.make_key(GENERATION_KEY)}@db{backend.db}"


def announce(token: str) -> None:
    backend = redis_backend()
    if backend is None:
        return
    watch = WATCHES.get(channel_name(backend))
    if watch is not None and watch.value is not None:
        watch.value = token  # this process knows at once
    try:  # and every other process a moment later (GenerationWatch)
        backend.publish(channel_name(backend), token)
    except Exception:
        logger.warning("page cache: new generation not announced")


def generation() -> str | None:
    """The current content generation; None while the shared cache does not answer."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        token = new_token()
        if cache.add(GENERATION_KEY, token, None):
            announce(token)  # Redis had none (new, flushed or restarted): tell every process
            return token
        value = cache.get(GENERATION_KEY)
    return value


class PendingBump:
    """A change this process could not announce (Redis away): announced once Redis is back."""

    pending = False


def bump_generation() -> None:
    token = new_token()
    backend = redis_backend()
    if backend is None:
        cache.set(GENERATION_KEY, token, None)
        return
    try:
        backend.set_or_raise(GENERATION_KEY, token, None)
    except Exception:
        PendingBump.pending = True
        logger.warning("page cache: generation not changed, cache away; retried on its return")
        return
    PendingBump.pending = False
    announce(token)


class GenerationWatch(threading.Thread):
    """This process's copy of the generation, kept current by Redis pub/sub.

    A cached page then costs no Redis round trip at all. Whenever the subscription is not
    known to be live (starting, reconnecting, Redis away or silent), `value` is None and the
    middleware asks Redis on every request instead.
    """

    def __init__(self, backend, channel):
        super().__init__(daemon=True, name="pagecache-generation")
        self.backend, self.channel = backend, channel
        self.value = None

    def read(self):
        value = self.backend.get(GENERATION_KEY)
        if value is None:
            token = new_token()
            if self.backend.add(GENERATION_KEY, token, None):
                self.backend.publish(self.channel, token)  # Redis had none: tell every process
                return token
            value = self.backend.get(GENERATION_KEY)
        return value

    def listen(self, pubsub):
        pubsub.subscribe(self.channel)
        deadline = time.monotonic() + HEARTBEAT_SECONDS
        while (pubsub.get_message(timeout=1) or {}).get("type") != "subscribe":
            if time.monotonic() > deadline:
                raise TimeoutError("no subscription")
        self.value = self.read()  # after subscribing: no announcement is missed
        heard = time.monotonic()
        while True:
            message = pubsub.get_message(timeout=HEARTBEAT_SECONDS)
            if message is None:
                if time.monotonic() - heard > 2 * HEARTBEAT_SECONDS:
                    raise TimeoutError("Redis silent")
                pubsub.ping()
                continue
            heard = time.monotonic()
            if message["type"] == "message":
                # Announcements can cross: Redis itself says which token is current.
                self.value = self.read()

    def run(self):
        while True:
            pubsub = None
            try:
                if self.backend.is_away:
                    raise ConnectionError("cache away")
                pubsub = self.backend.client().pubsub()
                self.listen(pubsub)
            except Exception:
                self.value = None
                if pubsub is not None:
                    try:
                        pubsub.close()
                    except Exception:
                        logger.debug("page cache: subscription not closed cleanly")
                time.sleep(1)


WATCHES: dict[str, GenerationWatch] = {}
WATCHES_LOCK = threading.Lock()


def current_generation() -> str | None:
    backend = redis_backend()
    if backend is not None:
        if backend.is_away:  # the circuit breaker: no round trip to a Redis known to be away
            return None
        if PendingBump.pending:
            bump_generation()
        channel = channel_name(backend)
        watch = WATCHES.get(channel)
        if watch is None:
            with WATCHES_LOCK:
                watch = WATCHES.get(channel)
                if watch is None:
                    watch = WATCHES[channel] = GenerationWatch(backend, channel)
                    watch.start()
        if watch.value is not None:
            return watch.value
    return generation()


def content_changed() -> None:
    """Invalidate every cached page once the current transaction commits."""
    transaction.on_commit(bump_generation)


def on_model_change(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed fires before and after: the change is the "post_" one
    # An auto-created many-to-many table belongs to the model that declared the field.
    model = sender._meta.auto_created or sender
    if model._meta.app_label in PUBLIC_APPS and model._meta.label_lower not in PRIVATE_MODELS:
        content_changed()


def on_public_content_changed(sender, **kwargs):
    content_changed()


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(on_model_change, dispatch_uid=f"pagecache-{signal}")
    public_content_changed.connect(on_public_content_changed, dispatch_uid="pagecache-public")


EVERY_PARAMETER = "*"  # the view looked at the query as a whole (iterated it, encoded it...)
NONEMPTY = "?"  # the view asked whether there is any parameter at all


class ReadingsQueryDict(QueryDict):
    """request.GET that notes which parameters the view reads, so the page cache keys a page
    by those alone: `?v=1`, `?v=2`... on a page that never reads `v` are one entry, not many."""

    def __init__(self, query_string=None, readings=None, mutable=False, encoding=None):
        self._readings = set()  # parsing the query reads nothing on the view's behalf
        super().__init__(query_string, mutable=mutable, encoding=encoding)
        self._readings = readings if readings is not None else set()

    def _read(self, key):
        self._readings.add(str(key))

    def read_so_far(self) -> list[tuple[str, list[str]]]:
        """The parameters the view has read (all of them if it read the query whole), without
        counting this as a reading."""
        items = QueryDict.lists(self)
        if EVERY_PARAMETER in self._readings:
            return list(items)
        return [(key, values) for key, values in items if key in self._readings]

    def _read_all(self):
        self._readings.add(EVERY_PARAMETER)

    def __getitem__(self, key):
        self._read(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._read(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._read(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self._read(key)
        return super().__contains__(key)

    def __bool__(self):
        self._readings.add(NONEMPTY)
        return super().__len__() > 0

    def __copy__(self):
        """A plain QueryDict: a copy is the view's own, and the view has read everything."""
        self._read_all()
        result = QueryDict(mutable=True, encoding=self.encoding)
        for key, values in super().lists():
            result.setlist(key, list(values))
        return result

    def __deepcopy__(self, memo):
        return self.__copy__()


def reading_everything(method):
    def wrapper(self, *args, **kwargs):
        self._read_all()
        return method(self, *args, **kwargs)

    return wrapper


for name in ("__len__", "__iter__", "keys", "items", "lists", "values", "dict", "urlencode"):
    setattr(ReadingsQueryDict, name, reading_everything(getattr(QueryDict, name)))


def page_key(request, readings: frozenset) -> str:
    """The cache key: the page's path and, of its query, only the parameters in `readings`
    (those its view was seen to read), sorted; the whole query when the view read it whole."""
    query = QueryDict(request.META.get("QUERY_STRING", ""))
    if EVERY_PARAMETER in readings:
        selected = sorted(query.lists())
    else:
        selected = [(name, query.getlist(name)) for name in sorted(readings - {NONEMPTY})]
        if NONEMPTY in readings:
            selected.append((NONEMPTY, [str(bool(query))]))
    # Only what selects the partial (django-htmx: exactly "true") selects its cache entry.
    variant = "htmx" if request.headers.get("HX-Request") == "true" else "page"
    method = "GET" if request.method == "HEAD" else request.method  # HEAD is GET without body
    described = repr((method, request.path, sorted(readings), selected))
    digest = hashlib.sha256(described.encode()).hexdigest()
    return f"pagecache:{variant}:{digest}"


def encoded_copies(stored) -> dict[str, bytes]:
    """The compressed copies of a stored page (none in a copy stored before they were kept)."""
    return stored[4] if len(stored) > 4 else {}


def stored_size(stored) -> int:
    return len(stored[3]) + sum(len(body) for body in encoded_copies(stored).values())


class PageCacheMiddleware:
    """Serve anonymous GETs from the shared cache; store the cacheable responses.

    A hit costs no round trip when this process served the page lately and follows the
    generation by pub/sub, else one for the page; the headers and body are stored as plain
    values, with the generation and the time they were made, and the body's compressed copies.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Each process keeps the pages it served last, keyed like the shared cache and checked
        # against the shared generation, so a hit needs only the generation from Redis.
        self.local = OrderedDict()
        self.local_bytes = 0
        # The query parameters each path's view was seen to read (a union over its renders).
        self.learned = OrderedDict()

    def remember(self, key, stored):
        self.forget(key)
        if len(stored[3]) > LOCAL_MAX_PAGE_BYTES:
            return  # a big download stays in the shared cache only
        self.local[key] = stored
        self.local_bytes += stored_size(stored)
        while len(self.local) > LOCAL_PAGES or self.local_bytes > LOCAL_BYTES:
            _, oldest = self.local.popitem(last=False)
            self.local_bytes -= stored_size(oldest)

    def forget(self, key):
        gone = self.local.pop(key, None)
        if gone is not None:
            self.local_bytes -= stored_size(gone)

    def readings_for(self, request) -> frozenset:
        learned = self.learned.get(request.path, frozenset())
        self.learned.pop(request.path, None)
        self.learned[request.path] = learned  # most recently used last
        while len(self.learned) > LEARNED_PATHS:
            self.learned.popitem(last=False)
        return learned

    def learn(self, request, readings: set) -> frozenset:
        learned = self.learned.get(request.path, frozenset()) | readings
        self.learned[request.path] = learned
        return learned

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

    @staticmethod
    def compressed_copies(request, response) -> dict[str, bytes]:
        """The body in each encoding the portal sends (portal/compression.py), made once when
        the page is stored, so every hit goes out compressed at no cost."""
        if not (compression.compressible(response) and compression.may_compress(request)):
            return {}
        patch_vary_headers(response, ["Accept-Encoding"])
        if len(response.content) < compression.MIN_SIZE:
            return {}
        return {
            encoding: compression.compress(response.content, encoding)
            for encoding in compression.ENCODINGS
        }

    @staticmethod
    def fresh(stored, gen) -> bool:
        """Made under the current generation, and not older than PAGE_CACHE_SECONDS."""
        return (
            stored is not None
            and stored[0] == gen
            and 0 <= clock() - stored[1] < settings.PAGE_CACHE_SECONDS
        )

    @staticmethod
    def watch_readings(request) -> set:
        """Give the view a request.GET that notes what it reads (the page in the other
        language keeps those parameters, see portal.context_processors.alternates)."""
        readings = set()
        # A query too big to parse stays as it is: the view meets the error if it reads it.
        with contextlib.suppress(SuspiciousOperation):
            request.GET = ReadingsQueryDict(
                request.META.get("QUERY_STRING", ""), readings, encoding=settings.DEFAULT_CHARSET
            )
        return readings

    def __call__(self, request):
        # Every response, hit or miss, first checks the Host header (400 for a foreign one).
        request.get_host()
        if not self.cacheable_request(request):
            if request.method in {"GET", "HEAD"}:
                self.watch_readings(request)
            return self.get_response(request)
        gen = current_generation()
        if gen is None:  # no shared cache: no way to know what is current, so nothing cached
            self.watch_readings(request)
            return self.get_response(request)
        key = page_key(request, self.readings_for(request))
        stored = self.local.get(key)
        if not self.fresh(stored, gen):
            stored = cache.get(key)
            if self.fresh(stored, gen):
                self.remember(key, stored)
        if self.fresh(stored, gen):
            headers, content, copies = stored[2], stored[3], encoded_copies(stored)
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            encoding = compression.preferred_encoding(request)
            if encoding in copies:
                compression.send_encoded(response, copies[encoding], encoding)
            response["X-Cache"] = "hit"
            return response
        self.forget(key)
        readings = self.watch_readings(request)
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
            # Kept under the parameters this render read and those read before on this path:
            # a later request with the same values of all of them gets the same page.
            key = page_key(request, self.learn(request, readings))
            small = len(response.content) <= SHARED_MAX_PAGE_BYTES
            if small and gen == generation():  # content did not change while it was made
                copies = self.compressed_copies(request, response)
                stored = (gen, clock(), list(response.items()), response.content, copies)
                cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
                self.remember(key, stored)
                encoding = compression.preferred_encoding(request)
                if encoding in copies:  # sent as it will be from the cache
                    compression.send_encoded(response, copies[encoding], encoding)
            response["X-Cache"] = "miss"
        return response
