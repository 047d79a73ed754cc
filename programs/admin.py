from django.contrib import admin

from programs.models import Program, ProgramKind


@admin.register(ProgramKind)
class ProgramKindAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "order", "is_published", "takes_signups", "updated_at"]
    list_display_links = ["name"]
    list_editable = ["order", "is_published"]
    list_filter = ["kind", "is_published", "takes_signups"]
    list_select_related = ["kind"]
    search_fields = ["name", "summary", "description"]
    ordering = ["kind__order", "order", "name"]
    prepopulated_fields = {"slug": ["name"]}
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["kind", "name", "slug", "summary", "is_published", "order"]}),
        ("The page", {"fields": ["description", "audience", "how_to_join", "requirements"]}),
        ("Taking part", {"fields": ["contact_by_precinct", "takes_signups"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields
