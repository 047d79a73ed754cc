"""Who is asking: the client address used for rate limits and lockouts."""

from django.conf import settings


def client_address(request) -> str:
    """The socket's address, unless trusted proxies are configured in front of the portal.

    With TRUSTED_PROXY_COUNT = N, the address is the one the outermost trusted proxy saw: the
    Nth entry from the right of X-Forwarded-For. A client cannot choose it by sending the header.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")
