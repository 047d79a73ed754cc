from django.contrib import admin
from django.contrib.admin.models import LogEntry

from core.textsafe import RefuseControlCharactersAdmin
from portal.models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(RefuseControlCharactersAdmin, admin.ModelAdmin):
    fields = ["email", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    """Every change staff made in the admin, for superusers (IT) only. Read-only."""

    list_display = ["action_time", "user", "content_type", "object_repr", "action_flag"]
    list_filter = ["action_flag", "content_type"]
    search_fields = ["object_repr", "change_message", "user__username"]
    search_help_text = "Searches what was changed, the change message and the username."
    list_select_related = ["user", "content_type"]
    date_hierarchy = "action_time"
    show_full_result_count = False

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
