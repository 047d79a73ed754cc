"""The texts staff write for events and news, in English and Spanish (django-modeltranslation).

Places, addresses, links and sources are names: the same in every language.
"""

from modeltranslation.translator import TranslationOptions, register

from events.models import Event, NewsPost


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(NewsPost)
class NewsPostTranslationOptions(TranslationOptions):
    fields = ("title", "date_note", "summary", "body")
