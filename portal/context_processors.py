import functools

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from portal.models import SiteSettings

# The primary navigation: a section appears once its page exists.
NAV = [
    ("Home", "home"),
    ("Programs", "programs:list"),
    ("Precincts", "precincts:list"),
    ("Safety plan", "recommendations:tracker"),
    ("Events", "events:list"),
    ("Volunteer", "programs:volunteer"),
]

# The pages whose forms htmx speeds up: only they load it (every other page stays light).
HTMX_VIEWS = frozenset({"recommendations:tracker", "precincts:find"})


def resolved_links(entries):
    """Yield each (label, url name, *rest) entry as (label, url, *rest), skipping absent pages."""
    for label, name, *rest in entries:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        yield (label, url, *rest)


@functools.cache
def nav_links() -> tuple[tuple[str, str], ...]:
    """The sections that exist: the URL configuration does not change while a process runs."""
    return tuple(resolved_links(NAV))


def cope(request):
    """COPE's contact and the site's sections, on every page.

    The staff-kept email address is read (from the cache) only by a page that shows it.
    """
    path = request.path if request is not None else ""
    nav = [
        {
            "label": label,
            "url": url,
            "current": url == path or (url != "/" and path.startswith(url)),
        }
        for label, url in nav_links()
    ]
    match = getattr(request, "resolver_match", None)
    return {
        "uses_htmx": match is not None and match.view_name in HTMX_VIEWS,
        "cope_phone": settings.COPE_PHONE,
        "cope_email": SimpleLazyObject(lambda: SiteSettings.current().email),
        "nav": nav,
    }
