"""The decision emails staff write in English and Spanish (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from ask.models import RequestDecisionEmail


@register(RequestDecisionEmail)
class RequestDecisionEmailTranslationOptions(TranslationOptions):
    fields = ("subject", "body")
