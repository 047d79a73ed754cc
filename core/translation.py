"""The glossary's expansions in Spanish beside the English ones (django-modeltranslation).

The acronym itself is not translated: it is what the pages' text holds, in either language.
"""

from modeltranslation.translator import TranslationOptions, register

from core.models import GlossaryTerm


@register(GlossaryTerm)
class GlossaryTermTranslationOptions(TranslationOptions):
    fields = ("expansion",)
