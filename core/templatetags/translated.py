"""Staff-entered texts on a page in another language than theirs.

django-modeltranslation keeps a Spanish column beside each English one and shows the English
text where the Spanish one is empty. These say so: `lang_attr` gives the element around such a
text `lang="en"` (screen readers then read it with an English voice), and `only_in_english`
adds a short note for the visitor. Texts that are never translated (the safety plan's, as the
city published them) are English on every page: `lang_attr` marks them too.
"""

import functools

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from core.languages import shown_language

register = template.Library()
NOTHING = mark_safe("")


@functools.cache
def lang_mark(code: str) -> str:
    return format_html(' lang="{}"', code)


def lang_attribute(obj, field: str, page_language: str) -> str:
    """` lang="en"` where `obj.field` is shown in another language than `page_language`: for a
    view that marks many rows (the language is looked up once, not twice per row)."""
    shown = shown_language(obj, field, page_language)
    return lang_mark(shown) if shown != page_language else NOTHING


@register.filter
def lang_attr(obj, field: str) -> str:
    """` lang="en"` where `obj.field` is shown in another language than the page's."""
    return lang_attribute(obj, field, get_language())


@register.simple_tag
def only_in_english(obj, field: str) -> str:
    """A note, in the page's language, where `obj.field` is shown in English on it."""
    if shown_language(obj, field) == get_language():
        return ""
    return format_html(
        '<p class="only-english">{}</p>', gettext("This text is only available in English.")
    )
