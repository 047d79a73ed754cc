"""Admin behaviour several apps share."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from core.models import GlossaryTerm


class SlugFixedOnceSavedMixin:
    """The slug is part of a page's address: chosen when the item is added, then fixed,
    because people bookmark it."""

    slug_from = "name"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "slug"] if obj else fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else {"slug": [self.slug_from]}


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(TranslationAdmin):
    """The site's acronyms: an expansion is added here once a source document gives it, in
    English and in Spanish (an empty Spanish one shows the English on Spanish pages)."""

    list_display = ["acronym", "expansion"]
    list_editable = ["expansion"]  # becomes the English and the Spanish columns
    search_fields = ["acronym", "expansion_en", "expansion_es"]
