from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from core.admin import CountUpToPaginator, SlugFixedOnceSavedMixin
from core.textsafe import RefuseControlCharactersAdmin
from events.models import Event, NewsPost
from events.services import duplicate_event


@admin.register(Event)
class EventAdmin(SlugFixedOnceSavedMixin, RefuseControlCharactersAdmin, TranslationAdmin):
    """The title and description have an English and a Spanish box (events/translation.py)."""

    slug_from = "title_en"
    list_display = ["title", "starts_at", "place", "precinct", "is_published", "is_cancelled"]
    # A date filter, not a date hierarchy: the hierarchy reads the dates of every matching row.
    list_filter = [
        "is_published",
        "is_cancelled",
        "precinct",
        "programs",
        ("starts_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["precinct"]
    search_fields = ["title", "place", "address", "description"]
    search_help_text = "Searches the title, place, address and description."
    ordering = ["-starts_at"]
    show_full_result_count = False
    paginator = CountUpToPaginator
    autocomplete_fields = ["precinct", "programs", "recommendations"]
    view_on_site = True
    actions = ["duplicate"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "is_published", "is_cancelled"]}),
        ("When", {"fields": ["starts_at", "ends_at"]}),
        (
            "Repeats (for a regular meeting: enter it once)",
            {"fields": ["repeats", "repeat_until", "skipped_dates"]},
        ),
        ("Where", {"fields": ["place", "address", "online_url", "precinct"]}),
        ("About", {"fields": ["description", "programs", "recommendations"]}),
        ("Registration", {"fields": ["capacity"]}),
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
class NewsPostAdmin(SlugFixedOnceSavedMixin, RefuseControlCharactersAdmin, TranslationAdmin):
    """The title, date note, summary and body have an English and a Spanish box."""

    slug_from = "title_en"
    list_display = ["title", "date", "source_name", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "summary", "body", "source_name"]
    search_help_text = "Searches the title, summary, body and source."
    date_hierarchy = "date"
    ordering = ["-date"]
    show_full_result_count = False
    paginator = CountUpToPaginator
    autocomplete_fields = ["programs", "recommendations", "events"]
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "is_published", "date", "date_note"]}),
        ("The post", {"fields": ["summary", "body"]}),
        ("Credit", {"fields": ["source_name", "source_url"]}),
        ("Related", {"fields": ["programs", "recommendations", "events"]}),
    ]
