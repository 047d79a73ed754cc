"""How many sign-ups one client address may send per hour, counted in the shared cache."""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

from core.clients import client_address

logger = logging.getLogger(__name__)
WINDOW_SECONDS = 3600


def key_for(request) -> str:
    # The address is hashed: the cache holds no personal data in clear.
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    return f"signups-per-address:{digest}"


def is_limited(request) -> bool:
    try:
        return (cache.get(key_for(request)) or 0) >= settings.SIGNUPS_PER_HOUR
    except Exception:
        logger.warning("rate limit not checked: cache unavailable")
        return False


def count_signup(request) -> None:
    key = key_for(request)
    try:
        cache.add(key, 0, WINDOW_SECONDS)
        cache.incr(key)
    except Exception:
        # A cache outage must not turn a volunteer away: the sign-up is kept, uncounted.
        logger.warning("rate limit not counted: cache unavailable")
