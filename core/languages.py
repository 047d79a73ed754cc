"""Which language a staff-entered text is shown in (see core.templatetags.translated)."""

from django.conf import settings
from django.utils.translation import get_language


def shown_language(obj, field: str) -> str:
    """The language `obj.field` appears in on a page in the active language.

    A field with a column for the active language (django-modeltranslation's `<field>_<code>`)
    shows it when it is filled and the English one otherwise; any other field is English.
    """
    language = get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return language
    translated = getattr(obj, f"{field}_{language.replace('-', '_')}", None)
    return language if translated else settings.LANGUAGE_CODE
