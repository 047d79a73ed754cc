"""Admin behaviour several apps share."""

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db import transaction
from django.utils.functional import cached_property
from modeltranslation.admin import TranslationAdmin

from core.models import GlossaryTerm


class CountUpToPaginator(Paginator):
    """An admin list's paginator that counts at most COUNT_UP_TO rows (then the list says "more
    than"): counting every row a search matches over ten years of history took most of the
    search's time, and nobody pages that deep: they narrow the search."""

    COUNT_UP_TO = 2000

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        limited = rows.order_by()[: self.COUNT_UP_TO + 1] if hasattr(rows, "order_by") else rows
        counted = limited.count() if hasattr(limited, "count") else len(limited)
        self.count_capped = counted > self.COUNT_UP_TO
        return min(counted, self.COUNT_UP_TO)

    count_capped = False


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


def state_action(state, *, move, refused_as, queue_decision, send_decision: bool = False):
    """An admin action moving each selected row to `state` through the app's service
    (`move(row, state, user)`, which raises `refused_as` for a move its workflow forbids), and,
    if asked, queueing the decision email (`queue_decision(row)`) once the move commits: the
    queue's worker sends it, never this request."""

    def action(modeladmin, request, queryset):
        moved, refused, emailed = 0, [], 0
        for row in queryset:
            try:
                row = move(row, state, request.user)
            except refused_as as error:
                refused.append(str(error))
                continue
            moved += 1
            if send_decision and row.email:
                transaction.on_commit(lambda row=row: queue_decision(row))
                emailed += 1
        if moved:
            note = f"; the decision email to {emailed} is on its way" if send_decision else ""
            modeladmin.message_user(request, f"{moved} marked {state.label.lower()}{note}.")
        for message in refused:
            modeladmin.message_user(request, message, level=messages.WARNING)

    verb = " and email the decision" if send_decision else ""
    action.__name__ = f"mark_{state.value}" + ("_and_email" if send_decision else "")
    action.short_description = f"Mark selected as {state.label.lower()}{verb}"
    action.allowed_permissions = ("change",)
    return action
