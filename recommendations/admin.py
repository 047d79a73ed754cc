from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.html import format_html

from core.textsafe import RefuseControlCharactersAdmin, refuse_control_characters
from recommendations.models import FocusArea, Recommendation, Status, StatusUpdate
from recommendations.services import post_update_to_many, record_status_update


class StatusUpdateForm(forms.ModelForm):
    """What staff post: a status and a note (required for staff), public or internal."""

    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=2000,
        validators=[refuse_control_characters],
        help_text="Plain text, up to 2,000 characters. The public sees it with the date and "
        "“COPE staff”.",
    )
    status = forms.ChoiceField(choices=Status.choices)

    class Meta:
        model = StatusUpdate
        fields = ["status", "note", "public"]


class StatusUpdateInline(RefuseControlCharactersAdmin, admin.TabularInline):
    """The history on the recommendation's page: read-only rows, plus one to post an update."""

    model = StatusUpdate
    form = StatusUpdateForm
    fields = ["status", "note", "public", "date", "source", "author", "recorded_at"]
    readonly_fields = ["date", "source", "author", "recorded_at"]
    extra = 1
    max_num = None
    can_delete = False
    ordering = ["-recorded_at", "-pk"]
    verbose_name = "status update"
    verbose_name_plural = "status updates (newest first; post a new one in the empty row)"

    def has_change_permission(self, request, obj=None):
        return False  # append-only, for everyone, superusers included

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return obj is not None and request.user.has_perm("recommendations.add_statusupdate")


class BulkUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
        validators=[refuse_control_characters],
    )
    public = forms.BooleanField(required=False, initial=True)


@admin.register(Recommendation)
class RecommendationAdmin(RefuseControlCharactersAdmin, admin.ModelAdmin):
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
    ]
    readonly_fields = [
        "number",
        "source_fragment",
        "status",
        "progress_note",
        "status_date",
        "last_updated_at",
    ]

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
    list_select_related = ["recommendation", "author"]
    date_hierarchy = "recorded_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FocusArea)
class FocusAreaAdmin(RefuseControlCharactersAdmin, admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
