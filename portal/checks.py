"""Deployment checks of the portal's own settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

LOCAL_DOMAINS = {"localhost", "localhost.localdomain", "127.0.0.1", "[127.0.0.1]", "[::1]"}


@register(Tags.security, deploy=True)
def proxy_count_behind_a_proxy(app_configs, **kwargs):
    """Behind a proxy with no trusted proxy counted, every visitor has the proxy's address:
    all share one rate-limit bucket and one sign-in lock-out."""
    behind_proxy = bool(getattr(settings, "SECURE_PROXY_SSL_HEADER", None))
    if settings.HTTPS and behind_proxy and settings.TRUSTED_PROXY_COUNT == 0:
        return [
            Warning(
                "HTTPS is on behind a proxy (PROXY_SSL_HEADER is set) but TRUSTED_PROXY_COUNT "
                "is 0: every visitor is seen at the proxy's address, so all share one rate "
                "limit and one sign-in lock-out.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies in front of the portal "
                "that append to X-Forwarded-For (usually 1).",
                id="portal.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def sender_is_not_localhost(app_configs, **kwargs):
    """Mail from an address at localhost is refused or lost as spam: nobody gets the portal's
    confirmations and notices."""
    address = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">").strip()
    domain = address.rpartition("@")[2].lower()
    if domain in LOCAL_DOMAINS or domain.endswith(".localhost"):
        return [
            Error(
                f"DEFAULT_FROM_EMAIL is still at {domain} ({address}): mail from it is refused "
                "or lost as spam.",
                hint="Set DEFAULT_FROM_EMAIL to an address of the portal's own domain, e.g. "
                "COPE <noreply@cope.example.gov>.",
                id="portal.E001",
            )
        ]
    return []


@register(deploy=True)
def open_data_licence_chosen(app_configs, **kwargs):
    """Open data without a licence cannot safely be reused: the city chooses one."""
    if not settings.OPEN_DATA_LICENSE:
        return [
            Warning(
                "OPEN_DATA_LICENSE is not set: the safety-plan data page says the licence of "
                "the data is not yet decided, and the data catalogues name none.",
                hint="Once the city has chosen a licence, set OPEN_DATA_LICENSE to its name, "
                'a space and its URL, e.g. "Creative Commons Attribution 4.0 '
                'https://creativecommons.org/licenses/by/4.0/".',
                id="portal.W002",
            )
        ]
    return []
