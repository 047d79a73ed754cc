"""Atomic counting in the shared cache, for rate limits.

``add`` then ``incr`` are one Redis command each; the file cache, whose ``incr`` is a read then
a write, counts under a file lock. So of many requests sent at once, exactly the allowance gets
through. Keys hold a hash, never an address or a client address in clear.
"""

import contextlib
import fcntl
import hashlib
import logging
import math
import time
from pathlib import Path

from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache

logger = logging.getLogger(__name__)


def hashed_key(prefix: str, value: str) -> str:
    return f"{prefix}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


@contextlib.contextmanager
def counting():
    """Make the file cache's read-then-write ``incr`` atomic across threads and processes."""
    backend = caches["default"]
    if not isinstance(backend, FileBasedCache):
        yield
        return
    path = Path(backend._dir)
    path.mkdir(parents=True, exist_ok=True)
    with (path / "ratelimit.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def counted_in_file_cache(key: str, *, limit: int, seconds: int, amount: int = 1) -> bool:
    """The file cache's ``incr`` writes the value again with the default timeout, which would
    end every window after 5 minutes: the count is kept with the end of the window it started,
    and written back with the time left (under the lock of ``counting``)."""
    now = time.time()
    count, ends = cache.get(key) or (0, 0)
    if ends <= now:
        count, ends = 0, now + seconds
    count += amount
    cache.set(key, (count, ends), max(1, math.ceil(ends - now)))
    return count <= limit


def counted(key: str, *, limit: int, seconds: int, amount: int = 1) -> bool:
    """Count `amount` more under `key` for a window of `seconds`; False once `limit` is passed.
    Raises when the shared cache cannot count."""
    with counting():
        if isinstance(caches["default"], FileBasedCache):
            return counted_in_file_cache(key, limit=limit, seconds=seconds, amount=amount)
        cache.add(key, 0, seconds)
        try:
            count = cache.incr(key, amount)
        except ValueError:  # the window ended between add and incr: a new one starts
            cache.add(key, 0, seconds)
            count = cache.incr(key, amount)
    return count <= limit


def used(key: str) -> int:
    """What has been counted under `key` in its current window (a read: nothing is counted).
    Raises when the shared cache cannot answer."""
    value = cache.get(key)
    if isinstance(value, tuple):  # the file cache's (count, end of the window)
        count, ends = value
        return count if ends > time.time() else 0
    return value or 0


def take(key: str, *, limit: int, seconds: int, amount: int = 1) -> bool:
    """Count `amount` more under `key` for a window of `seconds`; False once `limit` is passed.

    A cache outage lets the request through, uncounted: it must not turn a person away.
    """
    try:
        return counted(key, limit=limit, seconds=seconds, amount=amount)
    except Exception:
        logger.warning("rate limit not counted: cache unavailable (%s)", key.split(":")[0])
        return True


def take_or_none(key: str, *, limit: int, seconds: int) -> bool | None:
    """As `take`, but None when the shared cache cannot count, for a limit that must hold
    through an outage: the caller counts another way (follow counts its stored requests)."""
    try:
        return counted(key, limit=limit, seconds=seconds)
    except Exception:
        logger.warning("rate limit counted elsewhere: cache unavailable (%s)", key.split(":")[0])
        return None
