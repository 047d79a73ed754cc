"""How many sign-ups one client address may send per hour, counted in the shared cache.

The count is taken atomically (``add`` then ``incr``, one Redis command each; the file cache,
whose ``incr`` is a read then a write, counts under a file lock): of many sign-ups sent at once
from one address, exactly the allowance gets through.
"""

import contextlib
import fcntl
import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache

from core.clients import client_address

logger = logging.getLogger(__name__)
WINDOW_SECONDS = 3600


def key_for(request) -> str:
    # The address is hashed: the cache holds no personal data in clear.
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    return f"signups-per-address:{digest}"


def is_limited(request) -> bool:
    """Whether the address has used its allowance (a read: nothing is counted)."""
    try:
        return (cache.get(key_for(request)) or 0) >= settings.SIGNUPS_PER_HOUR
    except Exception:
        logger.warning("rate limit not checked: cache unavailable")
        return False


@contextlib.contextmanager
def counting():
    """Make the file cache's read-then-write ``incr`` atomic across threads and processes."""
    backend = caches["default"]
    if not isinstance(backend, FileBasedCache):
        yield
        return
    path = Path(backend._dir)
    path.mkdir(parents=True, exist_ok=True)
    with (path / "signups-per-address.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def take(request) -> bool:
    """Count one sign-up for the address; False when it is over the allowance.

    A cache outage must not turn a volunteer away: then the sign-up is let through, uncounted.
    """
    key = key_for(request)
    try:
        with counting():
            cache.add(key, 0, WINDOW_SECONDS)
            try:
                count = cache.incr(key)
            except ValueError:  # the window ended between add and incr: a new one starts
                cache.add(key, 0, WINDOW_SECONDS)
                count = cache.incr(key)
    except Exception:
        logger.warning("rate limit not counted: cache unavailable")
        return True
    return count <= settings.SIGNUPS_PER_HOUR
