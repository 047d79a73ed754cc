"""Plain words on every page: web addresses as links, and each known acronym explained once.

A page's text goes through the `plain_words` filter with the page's `glossary` (from the
context processor): the first use of an acronym whose expansion is known becomes an `<abbr>`
with its expansion, linked to its entry on /glossary/ (one the sources never spell out is
linked to its entry, which says so); later uses stay plain text. On a page
in another language than English, the expansion is in that language where staff gave one, and
in English (its <abbr> marked lang="en") where not.
"""

import re

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import get_language

from core.models import GlossaryTerm

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


class PageGlossary:
    """The glossary for one page: read on first use (one query), remembering what was explained."""

    def __init__(self):
        self._terms: dict[str, tuple[str, str]] | None = None
        self._pattern = None
        self.seen: set[str] = set()
        self.language = get_language() or settings.LANGUAGE_CODE

    @property
    def terms(self) -> dict[str, tuple[str, str]]:
        if self._terms is None:
            self._terms = expansions_in(self.language)
        return self._terms

    @property
    def pattern(self) -> re.Pattern:
        if self._pattern is None:
            acronyms = "|".join(sorted(map(re.escape, self.terms), key=len, reverse=True))
            term = rf"|\b(?P<abbr>{acronyms})\b" if acronyms else ""
            self._pattern = re.compile(rf"(?P<url>\b{WEB_ADDRESS}){term}")
        return self._pattern


NO_TERMS = re.compile(rf"(?P<url>\b{WEB_ADDRESS})")


def plain_words(text: str, glossary: PageGlossary | None = None) -> str:
    """Escaped HTML of `text`: web addresses linked, first uses of known acronyms explained."""
    text = str(text or "")
    pattern = glossary.pattern if glossary else NO_TERMS
    pieces, start = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[start : match.start()]))
        start = match.end()
        found = match.group()
        if match.group("url"):
            href = found if found.startswith("http") else f"https://{found}"
            pieces.append(format_html('<a href="{}">{}</a>', href, found))
        elif found in glossary.seen:
            pieces.append(escape(found))
        else:
            glossary.seen.add(found)
            expansion, language = glossary.terms[found]
            if not expansion:
                link = '<a href="{}#{}" class="term">{}</a>'
                pieces.append(format_html(link, reverse("glossary"), found.lower(), found))
                continue
            # The text is the city's English: a Spanish expansion inside it says it is Spanish.
            marked = language != glossary.language or language != settings.LANGUAGE_CODE
            lang = format_html(' lang="{}"', language) if marked else ""
            pieces.append(
                format_html(
                    '<a href="{}#{}" class="term"><abbr title="{}"{}>{}</abbr></a>',
                    reverse("glossary"),
                    found.lower(),
                    expansion,
                    lang,
                    found,
                )
            )
    pieces.append(escape(text[start:]))
    return format_html_join("", "{}", ((piece,) for piece in pieces))
