"""A Redis outage is a cache miss, not an error page."""

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from portal.cache import ForgivingRedisCache


@pytest.fixture
def unreachable_cache():
    return ForgivingRedisCache(
        "redis://127.0.0.1:9/0",
        {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
    )


def test_reads_miss_and_writes_are_skipped_while_redis_is_away(unreachable_cache):
    unreachable_cache.set("page", "html", 60)

    assert unreachable_cache.get("page") is None
    assert unreachable_cache.get("page", "fallback") == "fallback"
    assert unreachable_cache.get_many(["a", "b"]) == {}
    assert unreachable_cache.add("page", "html") is False
    unreachable_cache.delete("page")


def test_counters_still_fail_loudly_while_redis_is_away(unreachable_cache):
    with pytest.raises(RedisConnectionError):
        unreachable_cache.incr("signups")
