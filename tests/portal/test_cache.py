"""A Redis outage is a cache miss, not an error page."""

import pytest
from django.core.cache import cache
from redis.exceptions import ConnectionError as RedisConnectionError


def test_reads_miss_and_writes_are_skipped_while_redis_is_away(redis_away):
    cache.set("page", "html", 60)

    assert cache.get("page") is None
    assert cache.get("page", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("page", "html") is False
    cache.delete("page")


def test_counters_still_fail_loudly_while_redis_is_away(redis_away):
    with pytest.raises(RedisConnectionError):
        cache.incr("signups")
