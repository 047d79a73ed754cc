import functools
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import pgettext_lazy

from portal.models import SiteSettings

# The primary navigation: a section appears once its page exists.
NAV = [
    (pgettext_lazy("main menu", "Home"), "home"),
    (pgettext_lazy("main menu", "Programs"), "programs:list"),
    (pgettext_lazy("main menu", "Precincts"), "precincts:list"),
    (pgettext_lazy("main menu", "Safety plan"), "recommendations:tracker"),
    (pgettext_lazy("main menu", "Events"), "events:list"),
    (pgettext_lazy("main menu", "Volunteer"), "programs:volunteer"),
]

# Each language's name written in that language, for the link to the page in it.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}
# OpenGraph's og:locale of each language (the portal's readers are in the United States).
LOCALES = {"en": "en_US", "es": "es_US"}

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
def nav_links(language: str) -> tuple[tuple[str, str], ...]:
    """The sections that exist, in `language` (the URL configuration does not change while a
    process runs)."""
    with translation.override(language):
        return tuple((str(label), url) for label, url, *_ in resolved_links(NAV))


def query_kept(request) -> str:
    """The part of the query the page in the other language keeps: what the view read (its
    filters, say), and so what the page cache keys the page by; a view can narrow it further
    (`request.alternate_query`), to leave out a value it refused."""
    if hasattr(request, "alternate_query"):
        return urlencode(request.alternate_query, doseq=True)
    try:
        read = request.GET.read_so_far  # the page cache's request.GET (every GET request)
    except (AttributeError, SuspiciousOperation):
        return ""
    return urlencode(read(), doseq=True)


@functools.lru_cache(maxsize=1024)
def translated_path(path: str, current: str, language: str) -> str:
    """`path`, a page in the `current` language (the active one), in `language`: Django's
    translate_url resolves and reverses it, the same every time while the process runs, so it
    is worked out once per page, not per render. The query is never kept here (a finder's
    address stays out of memory)."""
    return translate_url(path, language)


def alternate_links(path: str, query: str, current: str) -> list[dict]:
    """The page at `path` (with the `query` its other languages keep), in the `current`
    language, in each language: for the language switch and <link rel="alternate">."""
    here = path + (f"?{query}" if query else "")
    links = []
    for code, _ in settings.LANGUAGES:
        url = (
            here
            if code == current
            else translated_path(path, current, code) + (f"?{query}" if query else "")
        )
        if code != current and url == here:
            return []  # a page with one address for every language (none has one today)
        links.append(
            {
                "code": code,
                "name": LANGUAGE_NAMES[code],
                "locale": LOCALES[code],
                "url": url,
                "absolute": settings.SITE_URL + url,  # never from the request's Host header
                "current": code == current,
                "default": code == settings.LANGUAGE_CODE,  # hreflang="x-default"
            }
        )
    return links


@functools.lru_cache(maxsize=1024)
def language_links_at(path: str, query: str, current: str, site_url: str) -> dict[str, str]:
    """The parts of a page that name it in each language, rendered once per address and
    language while the process runs (issue 27: the Spanish machinery's cost per render):
    "head" (canonical, hreflang links), "og" (og:url and locales) and "switch" (the link to
    the page in the other language), from components/language_links.html's partials.
    `site_url` (settings.SITE_URL, in the absolute addresses) is part of the key."""
    context = {"alternates": alternate_links(path, query, current)}
    return {
        part: render_to_string(f"components/language_links.html#{part}", context)
        for part in ("head", "og", "switch")
    }


def language_links(request) -> dict[str, str]:
    if request is None or getattr(request, "resolver_match", None) is None:
        return {}
    return language_links_at(
        request.path, query_kept(request), translation.get_language(), settings.SITE_URL
    )


def cope(request):
    """COPE's contact and the site's sections, on every page.

    The staff-kept email address is read (from the cache) only by a page that shows it.
    """
    path = request.path if request is not None else ""
    language = translation.get_language()
    home = nav_links(language)[0][1]  # NAV's first entry
    nav = [
        {
            "label": label,
            "url": url,
            # Home is current only on itself: every Spanish address starts with /es/.
            "current": url == path or (url != home and path.startswith(url)),
        }
        for label, url in nav_links(language)
    ]
    match = getattr(request, "resolver_match", None)
    return {
        "LANGUAGE_CODE": language,  # looked up once per page, for every template of it
        # Which sections are current ("0100000"): the header is kept per language and this.
        "nav_key": "".join("1" if item["current"] else "0" for item in nav),
        "uses_htmx": match is not None and match.view_name in HTMX_VIEWS,
        "cope_phone": settings.COPE_PHONE,
        "cope_email": SimpleLazyObject(lambda: SiteSettings.current().email),
        "nav": nav,
        # Read as the template renders: the query the view read is known by then.
        "language_links": SimpleLazyObject(lambda: language_links(request)),
    }
