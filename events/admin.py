from django.contrib import admin

from events.models import Event, NewsPost
from events.services import duplicate_event
from portal.textsafe import RefuseControlCharactersAdmin


class SlugFixedOnceSaved:
    """The slug is the page's address: chosen when the item is added, then fixed."""

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else {"slug": ["title"]}


@admin.register(Event)
class EventAdmin(SlugFixedOnceSaved, RefuseControlCharactersAdmin, admin.ModelAdmin):
    list_display = ["title", "starts_at", "place", "precinct", "is_published", "is_cancelled"]
    list_filter = ["is_published", "is_cancelled", "precinct", "programs"]
    list_select_related = ["precinct"]
    search_fields = ["title", "place", "address", "description"]
    date_hierarchy = "starts_at"
    ordering = ["-starts_at"]
    filter_horizontal = ["programs", "recommendations"]
    view_on_site = True
    actions = ["duplicate"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "is_published", "is_cancelled"]}),
        ("When", {"fields": ["starts_at", "ends_at"]}),
        ("Where", {"fields": ["place", "address", "online_url", "precinct"]}),
        ("About", {"fields": ["description", "programs", "recommendations"]}),
    ]

    @admin.action(description="Duplicate selected events (unpublished copies)", permissions=["add"])
    def duplicate(self, request, queryset):
        copies = [duplicate_event(event=event) for event in queryset]
        self.message_user(
            request,
            f"{len(copies)} unpublished copies made: "
            + ", ".join(copy.slug for copy in copies)
            + ". Set their dates, then publish them.",
        )


@admin.register(NewsPost)
class NewsPostAdmin(SlugFixedOnceSaved, RefuseControlCharactersAdmin, admin.ModelAdmin):
    list_display = ["title", "date", "source_name", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "summary", "body", "source_name"]
    date_hierarchy = "date"
    ordering = ["-date"]
    filter_horizontal = ["programs", "recommendations", "events"]
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "is_published", "date", "date_note"]}),
        ("The post", {"fields": ["summary", "body"]}),
        ("Credit", {"fields": ["source_name", "source_url"]}),
        ("Related", {"fields": ["programs", "recommendations", "events"]}),
    ]
