"""A Redis cache that treats an outage as a miss, so a Redis failure never takes a page down.

A Redis that hangs (accepts connections, never answers) would cost every call its socket
timeout. So once a call has timed out, a circuit breaker treats that Redis as away: every call
misses at once, without touching the network, until a background probe finds Redis answering
again. Only the call that met the timeout waits for it. A refused connection costs nothing, so
it trips nothing: the portal then sees a returning Redis at once.
"""

import functools
import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

PROBE_INTERVAL = 1.0  # seconds between two probes of a Redis the breaker keeps away

MISSES = {
    "get": lambda args, kwargs: kwargs.get("default", args[1] if len(args) > 1 else None),
    "get_many": lambda args, kwargs: {},
    "has_key": lambda args, kwargs: False,
    "add": lambda args, kwargs: False,
    "touch": lambda args, kwargs: False,
    "delete": lambda args, kwargs: False,
    "set_many": lambda args, kwargs: list(args[0]) if args else [],
}


class CacheAway(RedisConnectionError):
    """Raised without a round trip while the circuit breaker keeps Redis away."""


class Breaker:
    """One per Redis server and process: open (Redis away) from a timeout until a probe answers."""

    def __init__(self, name: str):
        self.name = name
        self.opened_at = None  # None: closed, Redis answers
        self.lock = threading.Lock()
        self.prober = None

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None

    def trip(self, probe) -> None:
        with self.lock:
            if self.opened_at is None:
                self.opened_at = time.monotonic()
                logger.warning("cache away: calls skipped until it answers again")
            if self.prober is None or not self.prober.is_alive():
                self.prober = threading.Thread(
                    target=self.probe_until_answered,
                    args=(probe,),
                    daemon=True,
                    name="cache-breaker-probe",
                )
                self.prober.start()

    def probe_until_answered(self, probe) -> None:
        while True:
            time.sleep(PROBE_INTERVAL)
            try:
                probe()
            except (RedisError, OSError):
                continue
            with self.lock:
                self.opened_at = None
                self.prober = None
            logger.warning("cache answers again")
            return


BREAKERS: dict[str, Breaker] = {}
BREAKERS_LOCK = threading.Lock()


def breaker_for(location: str) -> Breaker:
    with BREAKERS_LOCK:
        return BREAKERS.setdefault(location, Breaker(location))


def forgiving(name):
    method = getattr(RedisCache, name)
    miss = MISSES.get(name, lambda args, kwargs: None)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return self.through_breaker(method, self, *args, **kwargs)
        except (RedisError, OSError) as error:
            if not isinstance(error, CacheAway):
                logger.warning("cache unavailable during %s: %s", name, type(error).__name__)
            return miss(args, kwargs)

    return wrapper


def strict(name):
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        return self.through_breaker(method, self, *args, **kwargs)

    return wrapper


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django makes a new redis.Redis object for every cache call; building one costs more than
    the round trip itself (redis-py fills a table of callbacks). One client per connection pool
    is enough: the client is thread-safe and the pool hands out the connections."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ForgivingRedisCache(RedisCache):
    """RedisCache whose reads miss and writes are skipped while Redis does not answer.

    ``incr`` and ``decr`` still raise: a counter (a rate limit) must know it was not counted.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self.breaker = breaker_for(self._servers[0])

    @property
    def is_away(self) -> bool:
        return self.breaker.is_open

    @property
    def db(self) -> int:
        """The database number of the (first) server, part of what tells deployments apart."""
        path = urlsplit(self._servers[0]).path.strip("/")
        return int(path) if path.isdigit() else int(self._options.get("db", 0))

    def client(self):
        return self._cache.get_client(write=True)

    def through_breaker(self, function, *args, **kwargs):
        """Call `function`, or raise CacheAway at once while the breaker keeps Redis away."""
        if self.breaker.is_open:
            raise CacheAway("cache away")
        try:
            return function(*args, **kwargs)
        except (RedisTimeoutError, TimeoutError):
            self.breaker.trip(lambda: self.client().ping())
            raise

    def publish(self, channel: str, message: str) -> None:
        """Publish on Redis pub/sub; raises (after tripping the breaker) when Redis is away."""
        self.through_breaker(lambda: self.client().publish(channel, message))

    get = forgiving("get")
    get_many = forgiving("get_many")
    has_key = forgiving("has_key")
    set = forgiving("set")
    add = forgiving("add")
    touch = forgiving("touch")
    delete = forgiving("delete")
    set_many = forgiving("set_many")
    delete_many = forgiving("delete_many")
    clear = forgiving("clear")
    incr = strict("incr")
    decr = strict("decr")
    set_or_raise = strict("set")
