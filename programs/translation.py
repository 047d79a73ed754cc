"""The texts staff keep in English and Spanish (django-modeltranslation: a `<field>_es` column
beside each English one, the English shown where the Spanish is empty)."""

from modeltranslation.translator import TranslationOptions, register

from programs.models import DecisionEmail, Program, ProgramKind


@register(ProgramKind)
class ProgramKindTranslationOptions(TranslationOptions):
    fields = ("name", "introduction")


@register(Program)
class ProgramTranslationOptions(TranslationOptions):
    fields = ("name", "summary", "description", "audience", "how_to_join", "requirements")


@register(DecisionEmail)
class DecisionEmailTranslationOptions(TranslationOptions):
    fields = ("subject", "body")
