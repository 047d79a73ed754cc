"""The precinct's texts staff write, in English and Spanish (django-modeltranslation).

The address, phone, ZIP code and coordinates are the same in every language.
"""

from modeltranslation.translator import TranslationOptions, register

from precincts.models import Precinct


@register(Precinct)
class PrecinctTranslationOptions(TranslationOptions):
    fields = ("name", "hours", "commander")
