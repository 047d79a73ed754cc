from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from recommendations.models import FocusArea, Recommendation, Status, StatusUpdate
from recommendations.services import post_update_to_many, record_status_update


class StatusUpdateForm(forms.ModelForm):
    """What staff post: a status and a note (required for staff), public or internal."""

    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=2000,
        help_text="Plain text, up to 2,000 characters. The public sees it with the date and "
        "“COPE staff”.",
    )
    status = forms.ChoiceField(choices=Status.choices)

    class Meta:
        model = StatusUpdate
        fields = ["status", "note", "public"]


LATEST_IN_ADMIN = 10  # updates shown on a recommendation's change page; the rest on the list


class LatestUpdatesFormSet(BaseInlineFormSet):
    """Only the latest updates, with their authors: the page stays the same size and the same
    queries however long the history grows."""

    def get_queryset(self):
        if not hasattr(self, "_latest"):
            self._latest = (
                super().get_queryset().select_related("author", "recommendation")[:LATEST_IN_ADMIN]
            )
        return self._latest

    def _existing_object(self, pk):
        """A row shown when the page was opened that newer updates have since pushed out of
        the latest: still the same update, never taken for a new one."""
        found = super()._existing_object(pk)
        if found is None and self.instance.pk is not None:
            found = self.model._default_manager.filter(
                **{self.fk.name: self.instance}, pk=pk
            ).first()
        return found


class StatusUpdateInline(admin.TabularInline):
    """The latest of the history on the recommendation's page (read-only), plus a row to post
    an update; the whole history is on the status updates list, linked from the page."""

    model = StatusUpdate
    form = StatusUpdateForm
    formset = LatestUpdatesFormSet
    fields = ["status", "note", "public", "date", "source", "author", "recorded_at"]
    readonly_fields = ["date", "source", "author", "recorded_at"]
    extra = 1
    max_num = None
    can_delete = False
    ordering = ["-recorded_at", "-pk"]
    verbose_name = "status update"
    verbose_name_plural = (
        f"status updates: the latest {LATEST_IN_ADMIN}, newest first (post a new one in the "
        "empty row; “Full history” above lists them all)"
    )

    def has_change_permission(self, request, obj=None):
        return False  # append-only, for everyone, superusers included

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return obj is not None and request.user.has_perm("recommendations.add_statusupdate")


class BulkUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 60}), max_length=2000)
    public = forms.BooleanField(required=False, initial=True)


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "title",
        "status",
        "focus_area",
        "details_published",
        "last_updated_at",
        "public_page",
    ]
    list_display_links = ["number", "title"]
    list_filter = [
        "status",
        "focus_area",
        "details_published",
        ("last_updated_at", admin.DateFieldListFilter),
    ]
    search_fields = ["=number", "title", "text", "progress_note"]
    search_help_text = "Searches the number (exact), title, text and current progress note."
    list_select_related = ["focus_area"]
    ordering = ["number"]
    view_on_site = True
    inlines = [StatusUpdateInline]
    actions = ["post_update"]
    fields = [
        "number",
        "title",
        "text",
        "focus_area",
        "details_published",
        "source_fragment",
        "status",
        "progress_note",
        "status_date",
        "last_updated_at",
        "full_history",
    ]
    readonly_fields = [
        "full_history",
        "number",
        "source_fragment",
        "status",
        "progress_note",
        "status_date",
        "last_updated_at",
    ]

    @admin.display(description="full history")
    def full_history(self, obj):
        url = reverse("admin:recommendations_statusupdate_changelist")
        return format_html(
            '<a href="{}?recommendation__id__exact={}">Every status update of recommendation {}'
            "</a>",
            url,
            obj.pk,
            obj.number,
        )

    @admin.display(description="public page")
    def public_page(self, obj):
        return format_html('<a href="{}">View</a>', obj.get_absolute_url())

    def has_add_permission(self, request):
        return False  # the plan has 82 recommendations, all loaded

    def has_delete_permission(self, request, obj=None):
        return False

    def save_formset(self, request, form, formset, change):
        if formset.model is not StatusUpdate:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if inline_form.instance.pk or not inline_form.has_changed():
                continue
            data = inline_form.cleaned_data
            formset.new_objects.append(
                record_status_update(
                    recommendation=form.instance,
                    status=data["status"],
                    note=data["note"],
                    public=data["public"],
                    author=request.user,
                )
            )
        return None

    @admin.action(description="Post a status update to the selected", permissions=["post"])
    def post_update(self, request, queryset):
        form = BulkUpdateForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                updates = post_update_to_many(
                    recommendations=list(queryset), author=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), level=messages.ERROR)
                return None
            self.message_user(request, f"Posted the update to {len(updates)} recommendations.")
            return None
        context = self.admin_site.each_context(request) | {
            "title": "Post a status update",
            "form": form,
            "recommendations": queryset.order_by("number"),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/recommendations/post_update.html", context)

    def has_post_permission(self, request):
        return request.user.has_perm("recommendations.add_statusupdate")


@admin.register(StatusUpdate)
class StatusUpdateAdmin(admin.ModelAdmin):
    """The whole history, to read: corrections are new updates, posted on the recommendation."""

    list_display = ["recommendation", "status", "public", "date", "source", "author", "recorded_at"]
    list_filter = ["status", "public", "source"]
    search_fields = ["=recommendation__number", "note"]
    search_help_text = "Searches the notes (any part of a word) and the recommendation's number."
    list_select_related = ["recommendation", "author"]
    date_hierarchy = "recorded_at"
    show_full_result_count = False  # no second count of the whole history on a search

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
