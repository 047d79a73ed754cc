from django.contrib import admin, messages

from ask.models import Registration, Request, RequestState, RequestStateChange
from ask.services import InvalidTransition, cancel_registration, change_request_state
from core.textsafe import RefuseControlCharactersAdmin


def state_action(state: RequestState):
    """An admin action moving the selected requests to `state` through the service."""

    def action(modeladmin, request, queryset):
        moved, refused = 0, []
        for item in queryset:
            try:
                change_request_state(request=item, state=state, by=request.user)
            except InvalidTransition as error:
                refused.append(str(error))
                continue
            moved += 1
        if moved:
            modeladmin.message_user(request, f"{moved} marked {state.label.lower()}.")
        for message in refused:
            modeladmin.message_user(request, message, level=messages.WARNING)

    action.__name__ = f"mark_{state.value}"
    action.short_description = f"Mark selected as {state.label.lower()}"
    action.allowed_permissions = ("change",)
    return action


class StateChangeInline(admin.TabularInline):
    model = RequestStateChange
    fields = ["changed_at", "from_state", "to_state", "changed_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Request)
class RequestAdmin(RefuseControlCharactersAdmin, admin.ModelAdmin):
    """The queue of speaker, walk and meeting requests. Only the volunteer coordinator role
    has these permissions (portal/roles.py): editors see nothing of them."""

    list_display = ["reference", "kind", "precinct", "first_choice", "state", "created_at"]
    list_filter = [
        "state",
        "kind",
        "precinct",
        "language",
        ("created_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["precinct"]
    search_fields = ["reference", "contact_name", "organization", "email", "phone"]
    search_help_text = "Searches the reference, name, group, email address and phone."
    show_full_result_count = False
    readonly_fields = [
        "reference",
        "kind",
        "program",
        "precinct",
        "state",
        "state_changed_at",
        "created_at",
        "language",
        "confirmation_sent_at",
        "staff_notified_at",
        "notification_attempts",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "kind", "program", "precinct", "state", "created_at"]}),
        (
            "Who asks",
            {
                "fields": [
                    "organization",
                    "group_kind",
                    "contact_name",
                    "email",
                    "phone",
                    "language",
                ]
            },
        ),
        (
            "What and when",
            {
                "fields": [
                    "first_choice",
                    "second_choice",
                    "third_choice",
                    "time_of_day",
                    "online",
                    "place",
                    "audience_size",
                    "topics",
                    "needs",
                ]
            },
        ),
        ("Consent", {"fields": ["accepted_privacy_notice"]}),
        ("Staff", {"fields": ["staff_notes", "state_changed_at"]}),
        (
            "Email",
            {"fields": ["confirmation_sent_at", "staff_notified_at", "notification_attempts"]},
        ),
    ]
    inlines = [StateChangeInline]
    actions = [state_action(state) for state in RequestState if state != RequestState.NEW]

    def has_add_permission(self, request):
        return False  # requests come from the public forms


@admin.register(Registration)
class RegistrationAdmin(RefuseControlCharactersAdmin, admin.ModelAdmin):
    """Who has a seat in each class, and who waits. Only the volunteer coordinator role has
    these permissions (portal/roles.py)."""

    list_display = ["reference", "event", "state", "created_at"]
    list_filter = ["state", ("event", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["event"]
    search_fields = ["reference", "full_name", "email", "phone"]
    show_full_result_count = False
    fields = [
        "reference",
        "event",
        "state",
        "state_changed_at",
        "full_name",
        "email",
        "phone",
        "language",
        "accepted_privacy_notice",
        "created_at",
        "confirmation_sent_at",
        "promotion_sent_at",
        "reminder_sent_at",
    ]
    readonly_fields = [
        "reference",
        "event",
        "state",
        "state_changed_at",
        "language",
        "accepted_privacy_notice",
        "created_at",
        "confirmation_sent_at",
        "promotion_sent_at",
        "reminder_sent_at",
    ]
    actions = ["cancel_selected"]

    def has_add_permission(self, request):
        return False  # registrations come from the class pages

    @admin.action(description="Cancel selected (the waiting list moves up)", permissions=["change"])
    def cancel_selected(self, request, queryset):
        promoted = 0
        for registration in queryset.select_related("event"):
            promoted += cancel_registration(registration=registration) is not None
        self.message_user(request, f"Cancelled; {promoted} moved up from the waiting list.")
