"""Plain words on every page: web addresses as links, and each known acronym explained once.

A page's text goes through the `plain_words` filter with the page's `glossary` (from the
context processor): the first use of an acronym whose expansion is known becomes an `<abbr>`
with its expansion, linked to its entry on /glossary/ (one the sources never spell out is
linked to its entry, which says so); later uses stay plain text. On a page
in another language than English, the expansion is in that language where staff gave one, and
in English (its <abbr> marked lang="en") where not.
"""

import functools
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.models import GlossaryTerm

logger = logging.getLogger(__name__)

WEB_ADDRESS = r"(?:https?://)?(?:[a-z0-9-]+\.)+(?:gov|org|com|net|edu|us)\b(?:/[\w./%-]*[\w/])?"


def expansions_in(language: str) -> dict[str, tuple[str, str]]:
    """Each acronym's expansion in `language`, or in English where it has none:
    {acronym: (expansion, the language it is in)}; ("", "") for one the sources do not spell
    out (its first use still links to the glossary, which says so)."""
    languages = settings.MODELTRANSLATION_LANGUAGES
    columns = [f"expansion_{code}" for code in languages]
    terms = {}
    for acronym, *expansions in GlossaryTerm.objects.values_list("acronym", *columns):
        given = dict(zip(languages, expansions, strict=True))
        terms[acronym] = ("", "")
        for code in (language, settings.LANGUAGE_CODE):
            if given.get(code):
                terms[acronym] = (given[code], code)
                break
    return terms


TERMS_SECONDS = 3600  # a bound on staleness should the shared cache miss a change (a restore)


def terms_key(language: str) -> str:
    return f"glossary-terms:{language}"


def expansions_kept(language: str) -> dict[str, tuple[str, str]]:
    """expansions_in(), kept in the shared cache until a term changes (forget_expansions): a
    page's glossary costs a cache read, not a query."""
    try:
        terms = cache.get(terms_key(language))
    except Exception:
        terms = None
    if terms is None:
        terms = expansions_in(language)
        try:
            cache.set(terms_key(language), terms, TERMS_SECONDS)
        except Exception:
            logger.warning("glossary: terms not kept, cache unavailable")
    return terms


def forget_expansions(**kwargs) -> None:
    """A term was saved or deleted: every language's terms are read again after the commit."""

    def forget():
        try:
            cache.delete_many([terms_key(code) for code, _ in settings.LANGUAGES])
        except Exception:
            logger.warning("glossary: terms not forgotten, cache unavailable")

    transaction.on_commit(forget)


class PageGlossary:
    """The glossary for one page: read on first use (one query), remembering what was explained."""

    def __init__(self):
        self._terms: dict[str, tuple[str, str]] | None = None
        self._pattern = None
        self.seen: set[str] = set()
        self._language = None
        self._url = None

    @property
    def language(self) -> str:
        """The page's language, looked up on first use (most pages never link a term)."""
        if self._language is None:
            self._language = get_language() or settings.LANGUAGE_CODE
        return self._language

    @property
    def url(self) -> str:
        """The glossary page's address, in the page's language."""
        if self._url is None:
            self._url = reverse("glossary")
        return self._url

    @property
    def terms(self) -> dict[str, tuple[str, str]]:
        if self._terms is None:
            self._terms = expansions_kept(self.language)
        return self._terms

    @property
    def pattern(self) -> re.Pattern:
        if self._pattern is None:
            acronyms = "|".join(sorted(map(re.escape, self.terms), key=len, reverse=True))
            term = rf"|\b(?P<abbr>{acronyms})\b" if acronyms else ""
            self._pattern = re.compile(rf"(?P<url>\b{WEB_ADDRESS}){term}")
        return self._pattern


NO_TERMS = re.compile(rf"(?P<url>\b{WEB_ADDRESS})")
TEXTS_KEPT = 1024  # texts cut into pieces kept per process (each at most a few KB)


@functools.lru_cache(maxsize=TEXTS_KEPT)
def pieces(pattern: re.Pattern, text: str) -> tuple[tuple[str, str], ...]:
    """`text` cut once by the page glossary's pattern, and kept: ("html", escaped text or a
    linked address) and ("term", acronym) pieces. Which use of a term is the first one depends
    on the page, so the terms are explained as the page is rendered (`plain_words`)."""
    cut, start = [], 0
    for match in pattern.finditer(text):
        cut.append(("html", escape(text[start : match.start()])))
        start = match.end()
        found = match.group()
        if match.group("url"):
            href = found if found.startswith("http") else f"https://{found}"
            cut.append(("html", format_html('<a href="{}">{}</a>', href, found)))
        else:
            cut.append(("term", found))
    cut.append(("html", escape(text[start:])))
    return tuple(cut)


def explained(found: str, glossary: PageGlossary) -> SafeString:
    """The first use of an acronym on a page: linked to its glossary entry, expanded."""
    expansion, language = glossary.terms[found]
    if not expansion:
        link = '<a href="{}#{}" class="term">{}</a>'
        return format_html(link, glossary.url, found.lower(), found)
    # The text is the city's English: a Spanish expansion inside it says it is Spanish.
    marked = language != glossary.language or language != settings.LANGUAGE_CODE
    lang = format_html(' lang="{}"', language) if marked else ""
    return format_html(
        '<a href="{}#{}" class="term"><abbr title="{}"{}>{}</abbr></a>',
        glossary.url,
        found.lower(),
        expansion,
        lang,
        found,
    )


def plain_words(text: str, glossary: PageGlossary | None = None) -> str:
    """Escaped HTML of `text`: web addresses linked, first uses of known acronyms explained."""
    text = str(text or "")
    pattern = glossary.pattern if glossary else NO_TERMS
    html = []
    for kind, piece in pieces(pattern, text):
        if kind == "html":
            html.append(piece)
        elif piece in glossary.seen:
            html.append(escape(piece))
        else:
            glossary.seen.add(piece)
            html.append(explained(piece, glossary))
    return mark_safe("".join(html))  # noqa: S308 (every piece is escaped or built by format_html)
