"""Which language a staff-entered text is shown in (see core.templatetags.translated)."""

import functools

from django.conf import settings
from django.utils.translation import get_language


@functools.cache
def translated_column(model: type, field: str, language: str) -> str | None:
    """django-modeltranslation's column for `field` in `language` (title_es), or None where
    `model` has none: worked out once per model, field and language, not once per row."""
    name = f"{field}_{language.replace('-', '_')}"
    return name if hasattr(model, name) else None


def shown_language(obj, field: str, language: str | None = None) -> str:
    """The language `obj.field` appears in on a page in `language` (the active one if None).

    A field with a column for the active language (django-modeltranslation's `<field>_<code>`)
    shows it when it is filled and the English one otherwise; any other field is English.
    """
    default = settings.LANGUAGE_CODE
    language = language or get_language() or default
    if language == default:
        return language
    column = translated_column(type(obj), field, language)
    return language if column and getattr(obj, column) else default


def add_seed_spanish(obj, row: dict, fields) -> int:
    """Fill `obj`'s Spanish texts from a seed row whose English is still `obj`'s (staff have not
    changed the English since), where the Spanish is empty or still an earlier seed's wording
    (`<field>_es_before`, e.g. before locale/es/TERMINOLOGY.md retired a term), saving only
    those; how many were. Spanish that staff wrote stays.

    `row` holds each field's English under its name and its Spanish under `<field>_es`.
    """
    filled = [
        f"{field}_es"
        for field in fields
        if row.get(f"{field}_es")
        and getattr(obj, f"{field}_es") in ("", None, *row.get(f"{field}_es_before", ()))
        and getattr(obj, f"{field}_en") == row.get(field)
    ]
    for name in filled:
        setattr(obj, name, row[name])
    if filled:
        obj.save(update_fields=filled)
    return len(filled)
