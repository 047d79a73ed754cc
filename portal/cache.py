"""A Redis cache that treats an outage as a miss, so a Redis failure never takes a page down."""

import functools
import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

MISSES = {
    "get": lambda args, kwargs: kwargs.get("default", args[1] if len(args) > 1 else None),
    "get_many": lambda args, kwargs: {},
    "has_key": lambda args, kwargs: False,
    "add": lambda args, kwargs: False,
    "touch": lambda args, kwargs: False,
    "delete": lambda args, kwargs: False,
    "set_many": lambda args, kwargs: list(args[0]) if args else [],
}


def forgiving(name):
    method = getattr(RedisCache, name)
    miss = MISSES.get(name, lambda args, kwargs: None)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (RedisError, OSError) as error:
            logger.warning("cache unavailable during %s: %s", name, type(error).__name__)
            return miss(args, kwargs)

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
