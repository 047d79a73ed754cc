"""How many sign-ups one client address may send per hour, counted atomically in the shared
cache (core.ratelimit): of many sign-ups sent at once, exactly the allowance gets through."""

import logging

from django.conf import settings

from core import ratelimit
from core.clients import client_address

logger = logging.getLogger(__name__)
WINDOW_SECONDS = 3600


def key_for(request) -> str:
    return ratelimit.hashed_key("signups-per-address", client_address(request))


def is_limited(request) -> bool:
    """Whether the address has used its allowance (a read: nothing is counted)."""
    try:
        return ratelimit.used(key_for(request)) >= settings.SIGNUPS_PER_HOUR
    except Exception:
        logger.warning("rate limit not checked: cache unavailable")
        return False


def take(request) -> bool:
    """Count one sign-up for the address; False when it is over the allowance."""
    return ratelimit.take(key_for(request), limit=settings.SIGNUPS_PER_HOUR, seconds=WINDOW_SECONDS)
