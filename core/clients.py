"""Who is asking: the client address used for rate limits and lockouts."""

import ipaddress

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


def client_bucket(address: str) -> str:
    """What a rate limit counts as one client: an IPv4 address, or an IPv6 /64 (one
    subscriber's network hands out addresses from it at will)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))
