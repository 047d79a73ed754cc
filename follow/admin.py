from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from follow.models import Follower, FollowerCount, Subscription


class SuperusersOnly:
    """Addresses of followers: superusers only (editors see counts, coordinators nothing)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    fields = ["topic", "recommendation", "precinct", "program", "frequency", "confirmed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Follower)
class FollowerAdmin(SuperusersOnly, admin.ModelAdmin):
    list_display = ["email", "language", "created_at"]
    list_filter = ["language"]
    search_fields = ["email"]
    readonly_fields = ["email", "language", "created_at"]
    fields = ["email", "language", "created_at"]
    inlines = [SubscriptionInline]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        # The change page is where a superuser removes single subscriptions (inline delete).
        return request.user.is_active and request.user.is_superuser


@admin.register(FollowerCount)
class FollowerCountAdmin(admin.ModelAdmin):
    """How many follow each topic: the one view of following that editors have."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Followers by topic",
            "opts": self.model._meta,
            "counts": list(Subscription.objects.counts()),
        }
        return TemplateResponse(request, "admin/follow/counts.html", context)

    def get_urls(self):
        # The counts page only: no change, history or delete pages for single rows.
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "",
                self.admin_site.admin_view(self.changelist_view),
                name=f"{info[0]}_{info[1]}_changelist",
            )
        ]
