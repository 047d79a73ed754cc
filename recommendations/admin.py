from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from core import audience
from core.admin import CountUpToPaginator
from core.textsafe import RefuseControlCharactersAdmin, refuse_control_characters
from recommendations import reports
from recommendations.models import (
    SOURCE_REPORT,
    STAFF_SOURCE,
    FocusArea,
    Recommendation,
    Status,
    StatusUpdate,
    moves_back,
    status_label,
)
from recommendations.services import (
    apply_status_report,
    post_update_to_many,
    record_status_update,
    retract_status_update,
)


class RetractForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Shown to the public beside the struck-through update, with the date.",
        error_messages={"required": "Say why the update is retracted: the public reads it."},
    )


class StatusReportForm(forms.Form):
    report = forms.FileField(
        label="Status report (CSV)",
        help_text="UTF-8 CSV whose first line is: number,status,progress note",
    )
    report_date = forms.DateField(
        label="Date of the report",
        help_text="As YYYY-MM-DD. Each change is dated with it and credited to the report.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_report_date(self):
        value = self.cleaned_data["report_date"]
        if value > timezone.localdate():
            raise ValidationError("The report's date cannot be in the future.")
        return value


class ApplyReportForm(forms.Form):
    """The preview's confirmation: the same CSV, checked again when applied."""

    data = forms.CharField(widget=forms.HiddenInput)
    report_date = forms.DateField(widget=forms.HiddenInput)


CHOOSE = [("", "— choose a status —")]


class PostUpdateForm(forms.Form):
    """The "Post an update" page: the status starts at the current one, the note is required,
    the date is optional (today when left empty)."""

    status = forms.ChoiceField(
        choices=Status.choices,
        help_text="Starts at the current status: change it only if the status moves.",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 40}),
        max_length=2000,
        validators=[refuse_control_characters],
        help_text="Required. Plain text, up to 2,000 characters. The public sees it with the "
        "date and “COPE staff”.",
        error_messages={"required": "Write a note: the public reads it with the update."},
    )
    date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional: when it happened, as YYYY-MM-DD. Empty means today.",
    )
    public = forms.BooleanField(
        required=False,
        initial=True,
        help_text="Untick for an internal note: it stays out of the public pages and emails.",
    )

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value and value > timezone.localdate():
            raise ValidationError("The date cannot be after today.")
        return value


class StatusUpdateForm(forms.ModelForm):
    """What staff post: a status and a note (required for staff), public or internal.

    In the change page's empty row no status is chosen for the editor, and a move back (or to
    "No update available") is sent to the "Post an update" page, which asks to confirm it.
    """

    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 30}),
        max_length=2000,
        validators=[refuse_control_characters],
        help_text="Plain text, up to 2,000 characters. The public sees it with the date and "
        "“COPE staff”.",
    )
    status = forms.ChoiceField(
        choices=CHOOSE + Status.choices,
        error_messages={"required": "Choose a status (the current one if it does not move)."},
    )

    class Meta:
        model = StatusUpdate
        fields = ["status", "note", "public"]

    def clean(self):
        data = super().clean()
        recommendation_id = self.instance.recommendation_id
        if self.instance.pk is None and recommendation_id and data.get("status"):
            current = Recommendation.objects.get(pk=recommendation_id).status
            if moves_back(current, data["status"]):
                url = reverse("admin:recommendations_recommendation_post", args=[recommendation_id])
                raise ValidationError(
                    format_html(
                        "This moves the status back, from {} to {}: post it from "
                        '<a href="{}">Post an update</a>, which asks you to confirm it.',
                        status_label(current),
                        status_label(data["status"]),
                        url,
                    )
                )
        return data


LATEST_IN_ADMIN = 10  # updates shown on a recommendation's change page; the rest on the list


class LatestUpdatesFormSet(BaseInlineFormSet):
    """Only the latest updates, with their authors: the page stays the same size and the same
    queries however long the history grows."""

    def get_queryset(self):
        if not hasattr(self, "_latest"):
            latest = (
                super().get_queryset().select_related("author", "recommendation", "retracted_by")
            )
            self._latest = latest[:LATEST_IN_ADMIN]
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


class StatusUpdateInline(RefuseControlCharactersAdmin, admin.TabularInline):
    """The latest of the history on the recommendation's page (read-only), plus a row to post
    an update; the whole history is on the status updates list, linked from the page."""

    model = StatusUpdate
    form = StatusUpdateForm
    formset = LatestUpdatesFormSet
    fields = ["status", "note", "public", "date", "source", "author", "recorded_at", "correction"]
    readonly_fields = ["date", "source", "author", "recorded_at", "correction"]
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

    @admin.display(description="correction")
    def correction(self, update):
        if update.pk is None:
            return ""
        if update.retracted_at:
            return format_html(
                "Retracted {} by {}: {}",
                timezone.localtime(update.retracted_at).strftime("%Y-%m-%d"),
                update.retracted_by or "staff",
                update.retraction_reason,
            )
        if not update.public:
            return "Internal"
        url = reverse(
            "admin:recommendations_recommendation_retract",
            args=[update.recommendation_id, update.pk],
        )
        return format_html('<a href="{}">Retract…</a>', url)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return obj is not None and request.user.has_perm("recommendations.add_statusupdate")


class BulkUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=CHOOSE + Status.choices)
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
        "post_link",
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
    change_list_template = "admin/recommendations/recommendation/change_list.html"
    inlines = [StatusUpdateInline]
    actions = ["post_update"]

    class Media:
        css = {"all": ["css/admin-recommendations.css"]}

    fields = [
        "number",
        "title",
        "short_title",
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

    @admin.display(description="update")
    def post_link(self, obj):
        url = reverse("admin:recommendations_recommendation_post", args=[obj.pk])
        return format_html('<a href="{}">Post an update</a>', url)

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
        moving_back = []
        if form.is_bound and form.is_valid() and form.cleaned_data["public"]:
            moving_back = [
                {
                    "recommendation": recommendation,
                    "current_label": status_label(recommendation.status),
                    "followers": audience.followers_of(recommendation),
                }
                for recommendation in queryset.order_by("number")
                if moves_back(recommendation.status, form.cleaned_data["status"])
            ]
        if form.is_bound and form.is_valid() and request.POST.get("confirmed") == "yes":
            moving_back = []  # confirmed on the page that named each move back
        if form.is_bound and form.is_valid() and not moving_back:
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
            "moving_back": moving_back,
            "new_label": status_label(form.cleaned_data["status"]) if moving_back else "",
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/recommendations/post_update.html", context)

    def has_post_permission(self, request):
        return request.user.has_perm("recommendations.add_statusupdate")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "import-report/",
                view(self.import_report_view),
                name="recommendations_recommendation_import_report",
            ),
            path(
                "<int:object_id>/post/",
                view(self.post_view),
                name="recommendations_recommendation_post",
            ),
            path(
                "<int:object_id>/retract/<int:update_id>/",
                view(self.retract_view),
                name="recommendations_recommendation_retract",
            ),
            *super().get_urls(),
        ]

    def page(self, request, template, context, status=200):
        context = self.admin_site.each_context(request) | {"opts": self.model._meta} | context
        return TemplateResponse(
            request, f"admin/recommendations/{template}", context, status=status
        )

    def post_view(self, request, object_id):
        """Post an update: the status starts at the current one; a move back, or to "No update
        available", is confirmed on a second page that names both statuses and the followers
        who will be told."""
        if not self.has_post_permission(request):
            raise PermissionDenied
        recommendation = get_object_or_404(Recommendation, pk=object_id)
        form = PostUpdateForm(
            request.POST if request.method == "POST" else None,
            initial={"status": recommendation.status or Status.NO_UPDATE, "public": True},
        )
        context = {
            "title": f"Post an update on recommendation {recommendation.number}",
            "original": recommendation,
            "recommendation": recommendation,
            "current_label": status_label(recommendation.status),
            "form": form,
            "problems": [],
        }
        if request.method != "POST":
            return self.page(request, "post.html", context)
        if form.is_valid():
            data = form.cleaned_data
            if (
                data["public"]
                and moves_back(recommendation.status, data["status"])
                and request.POST.get("confirmed") != "yes"
            ):
                context |= {
                    "title": f"Confirm: move recommendation {recommendation.number} back?",
                    "new_label": status_label(data["status"]),
                    "followers": audience.followers_of(recommendation),
                }
                return self.page(request, "post_confirm.html", context)
            try:
                record_status_update(
                    recommendation=recommendation,
                    status=data["status"],
                    note=data["note"],
                    date=data["date"],
                    public=data["public"],
                    author=request.user,
                )
            except ValidationError as error:
                context["problems"] = error.messages
            else:
                self.message_user(
                    request,
                    f"The update on recommendation {recommendation.number} is posted.",
                )
                return redirect("admin:recommendations_recommendation_change", object_id)
        context["title"] = "Error: " + context["title"]
        return self.page(request, "post.html", context, status=422)

    def retract_view(self, request, object_id, update_id):
        """Retract a public update posted by mistake: it stays in the history, struck through."""
        if not self.has_post_permission(request):
            raise PermissionDenied
        update = get_object_or_404(
            StatusUpdate.objects.select_related("recommendation"),
            pk=update_id,
            recommendation_id=object_id,
        )
        form = RetractForm(request.POST or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            try:
                retract_status_update(
                    update=update, reason=form.cleaned_data["reason"], author=request.user
                )
            except ValidationError as error:
                problems = error.messages
            else:
                self.message_user(
                    request,
                    f"The update is retracted. Recommendation {update.recommendation.number} "
                    "now shows its latest update still in force.",
                )
                return redirect("admin:recommendations_recommendation_change", object_id)
        context = {
            "title": f"Retract an update on recommendation {update.recommendation.number}",
            "update": update,
            "form": form,
            "problems": problems,
            "original": update.recommendation,
        }
        status = 422 if request.method == "POST" else 200
        return self.page(request, "retract.html", context, status)

    def import_report_view(self, request):
        """Upload the city's status report, see exactly what it changes, then apply it."""
        if not self.has_post_permission(request):
            raise PermissionDenied
        form = StatusReportForm()
        problems, context = [], {"title": "Import the city's status report"}
        if request.method == "POST" and "apply" in request.POST:
            confirm = ApplyReportForm(request.POST)
            if confirm.is_valid():
                try:
                    result = apply_status_report(
                        data=confirm.cleaned_data["data"],
                        report_date=confirm.cleaned_data["report_date"],
                    )
                except reports.ReportError as error:
                    problems = error.messages
                else:
                    self.message_user(request, result.summary(applied=True))
                    return redirect("admin:recommendations_recommendation_changelist")
            else:
                problems = ["The preview could not be read again: upload the report once more."]
        elif request.method == "POST":
            form = StatusReportForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data["report"].read()
                try:
                    result = reports.preview(reports.read_report(data))
                except reports.ReportError as error:
                    problems = error.messages
                else:
                    confirm = ApplyReportForm(
                        initial={
                            "data": data.decode("utf-8-sig"),
                            "report_date": form.cleaned_data["report_date"],
                        }
                    )
                    context |= {
                        "title": "Check the report before applying it",
                        "preview": result,
                        "confirm": confirm,
                        "report_date": form.cleaned_data["report_date"],
                        "source": reports.report_source(form.cleaned_data["report_date"]),
                    }
                    return self.page(request, "import_preview.html", context)
        context |= {"form": form, "problems": problems}
        invalid = request.method == "POST"
        return self.page(request, "import_report.html", context, 422 if invalid else 200)


class SourceFilter(admin.SimpleListFilter):
    """Where an update came from, among the sources the portal writes: not the distinct values
    of every row (a SELECT DISTINCT over ten years of history on each visit)."""

    title = "source"
    parameter_name = "from"
    LATER_REPORT = "City status report of "  # reports.report_source(), followed by its date

    def lookups(self, request, model_admin):
        return [
            ("staff", "COPE staff"),
            ("first-report", "The city's first status report (undated)"),
            ("later-report", "A later city status report"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "staff":
                return queryset.filter(source=STAFF_SOURCE)
            case "first-report":
                return queryset.filter(source=SOURCE_REPORT)
            case "later-report":
                return queryset.filter(source__startswith=self.LATER_REPORT)
        return queryset


@admin.register(StatusUpdate)
class StatusUpdateAdmin(admin.ModelAdmin):
    """The whole history, to read: corrections are new updates, posted on the recommendation."""

    list_display = [
        "recommendation",
        "status",
        "public",
        "date",
        "source",
        "author",
        "recorded_at",
        "retracted_at",
    ]
    # A date filter, not a date hierarchy: the hierarchy reads the first and last dates and
    # the years of every matching row, 340 ms of a search over ten years of updates.
    list_filter = ["status", "public", SourceFilter, ("recorded_at", admin.DateFieldListFilter)]
    search_fields = ["=recommendation__number", "note"]
    search_help_text = "Searches the notes (any part of a word) and the recommendation's number."
    list_select_related = ["recommendation", "author"]
    show_full_result_count = False  # no second count of the whole history on a search
    paginator = CountUpToPaginator  # nor a count of every row a search matches

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
