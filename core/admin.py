"""Admin behaviour several apps share."""

from django.contrib import admin

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
class GlossaryTermAdmin(admin.ModelAdmin):
    """The site's acronyms: an expansion is added here once a source document gives it."""

    list_display = ["acronym", "expansion"]
    list_editable = ["expansion"]
    search_fields = ["acronym", "expansion"]
