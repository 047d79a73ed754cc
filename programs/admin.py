import functools

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone, translation
from modeltranslation.admin import TranslationAdmin

from core.admin import CountUpToPaginator, SlugFixedOnceSavedMixin
from core.admin import state_action as shared_state_action
from core.csvsafe import csv_response
from core.phone import display as display_phone
from core.textsafe import RefuseControlCharactersAdmin
from programs.models import (
    AVAILABILITY,
    PROGRAM_SEPARATOR,
    PROGRAM_WITH_SIGNUPS,
    DecisionEmail,
    Program,
    ProgramKind,
    SignupState,
    SignupStateChange,
    VolunteerSignup,
)
from programs.services import InvalidTransition, change_signup_state
from programs.tasks import send_decision_email


@admin.register(ProgramKind)
class ProgramKindAdmin(SlugFixedOnceSavedMixin, RefuseControlCharactersAdmin, TranslationAdmin):
    """Each text in English and Spanish (programs/translation.py): a page in Spanish shows the
    English text, marked as English, where the Spanish is left empty."""

    slug_from = "name_en"
    list_display = ["name", "order"]
    list_editable = ["order"]


@admin.register(Program)
class ProgramAdmin(SlugFixedOnceSavedMixin, RefuseControlCharactersAdmin, TranslationAdmin):
    """Each text in English and Spanish (programs/translation.py): a page in Spanish shows the
    English text, marked as English, where the Spanish is left empty."""

    slug_from = "name_en"
    list_display = ["name", "kind", "order", "is_published", "door", "updated_at"]
    list_display_links = ["name"]
    list_editable = ["order", "is_published"]
    list_filter = ["kind", "is_published", "door"]
    list_select_related = ["kind"]
    search_fields = ["name", "summary", "description"]
    ordering = ["kind__order", "order", "name"]
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["kind", "name", "slug", "summary", "is_published", "order"]}),
        ("The page", {"fields": ["description", "audience", "how_to_join", "requirements"]}),
        ("Taking part", {"fields": ["door", "contact_by_precinct"]}),
    ]

    def lookup_allowed(self, lookup, value, request=None):
        """Editors see programs, never sign-ups: no filtering programs by them, in any form."""
        if lookup.split(LOOKUP_SEP)[0] == "signups":
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_deleted_objects(self, objs, request):
        """A program with sign-ups is not deleted (its sign-ups would lose it): the page says
        to unpublish it instead, and shows nothing of the sign-ups, not even a count."""
        if any(Program.objects.filter(pk__in=[o.pk for o in objs]).with_signups()):
            return [], {}, set(), [PROGRAM_WITH_SIGNUPS]
        return super().get_deleted_objects(objs, request)


def state_action(state: SignupState, *, send_decision: bool = False):
    """An admin action moving the selected sign-ups to `state` (core.admin.state_action)."""
    return shared_state_action(
        state,
        move=lambda signup, state, user: change_signup_state(signup=signup, state=state, by=user),
        refused_as=InvalidTransition,
        queue_decision=lambda signup: send_decision_email.enqueue(signup_id=signup.pk),
        send_decision=send_decision,
    )


class StateChangeInline(admin.TabularInline):
    model = SignupStateChange
    fields = ["changed_at", "from_state", "to_state", "changed_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(VolunteerSignup)
class VolunteerSignupAdmin(RefuseControlCharactersAdmin, admin.ModelAdmin):
    """The volunteer coordinator's queue. Only the coordinator role has these permissions."""

    list_display = [
        "reference",
        "full_name",
        "state",
        "age_band",
        "language",
        "created_at",
        "notified",
    ]
    list_filter = [
        "state",
        "programs",
        "age_band",
        "language",
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["reference", "full_name", "email", "phone"]
    search_help_text = "Searches the reference, name, email address and phone (+1 and digits)."
    # No date hierarchy beside the date filter: it reads the dates of every matching row.
    show_full_result_count = False
    paginator = CountUpToPaginator
    readonly_fields = [
        "reference",
        "state",
        "state_changed_at",
        "created_at",
        "language",
        "confirmation_sent_at",
        "coordinators_notified_at",
        "notification_attempts",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "state", "state_changed_at", "created_at"]}),
        (
            "The volunteer",
            {
                "fields": [
                    "full_name",
                    "email",
                    "phone",
                    "zip_code",
                    "age_band",
                    "guardian_name",
                    "guardian_phone",
                    "language",
                ]
            },
        ),
        (
            "Interests",
            {"fields": ["programs", *(field for field, _ in AVAILABILITY), "message"]},
        ),
        ("Consent", {"fields": ["accepted_privacy_notice", "consented_to_contact"]}),
        ("Coordinator", {"fields": ["coordinator_notes"]}),
        (
            "Email",
            {
                "fields": [
                    "confirmation_sent_at",
                    "coordinators_notified_at",
                    "notification_attempts",
                ]
            },
        ),
    ]
    filter_horizontal = ["programs"]
    inlines = [StateChangeInline]
    actions = [
        state_action(SignupState.CONTACTED),
        state_action(SignupState.ACCEPTED),
        state_action(SignupState.ACCEPTED, send_decision=True),
        state_action(SignupState.DECLINED),
        state_action(SignupState.DECLINED, send_decision=True),
        state_action(SignupState.WITHDRAWN),
        "export_csv",
    ]

    @admin.display(boolean=True, description="emails sent")
    def notified(self, obj):
        return obj.is_notified

    def has_add_permission(self, request):
        return False  # sign-ups come from the public form

    def has_export_permission(self, request):
        return request.user.has_perm("programs.export_volunteersignup")

    @admin.action(description="Export selected as CSV", permissions=["export"])
    def export_csv(self, request, queryset):
        """The selected sign-ups (or all matching the filter) as a CSV streamed row by row.

        One query reads them with their programs; one log entry records the export (who, when,
        how many rows, which filter), whatever the number of rows.
        """
        signups = queryset.order_by("created_at", "pk")
        count = signups.count()
        LogEntry.objects.create(
            user_id=request.user.pk,
            content_type_id=ContentType.objects.get_for_model(VolunteerSignup).pk,
            object_repr=f"CSV export of {count} sign-ups"[:200],
            action_flag=CHANGE,
            change_message=f"Exported {count} sign-ups to CSV ({export_scope(request)}).",
        )
        return csv_response(
            f"volunteer-signups-{timezone.localdate():%Y-%m-%d}.csv",
            EXPORT_HEADER,
            (
                export_row(signup)
                for signup in signups.for_export().only(*EXPORT_FIELDS).iterator(chunk_size=2000)
            ),
        )


def export_scope(request) -> str:
    """Which sign-ups an export holds, in words: the filter of the list, or the ticked rows."""
    filters = request.GET.urlencode()
    if request.POST.get("select_across") == "1":
        return f"all matching the filter {filters}" if filters else "all sign-ups"
    ticked = len(request.POST.getlist(ACTION_CHECKBOX_NAME))
    return f"{ticked} ticked" + (f", list filtered by {filters}" if filters else "")


EXPORT_HEADER = [
    "reference",
    "state",
    "created",
    "full name",
    "email",
    "phone",
    "ZIP code",
    "age band",
    "parent or guardian",
    "parent or guardian's phone",
    "programs",
    "availability",
    "anything else",
    "coordinator notes",
    "language",
]


# The columns the export reads: no other date is parsed, no other text fetched.
EXPORT_FIELDS = [
    "reference",
    "state",
    "created_at",
    "full_name",
    "email",
    "phone",
    "zip_code",
    "age_band",
    "guardian_name",
    "guardian_phone",
    *(field for field, _ in AVAILABILITY),
    "message",
    "coordinator_notes",
    "language",
]


@functools.cache
def english_availability() -> tuple[tuple[str, str], ...]:
    with translation.override("en"):
        return tuple((field, str(label).lower()) for field, label in AVAILABILITY)


@functools.cache
def english_labels(field_name: str) -> dict[str, str]:
    """A choice field's labels in English, read once: the export is a data contract in English,
    and translating each row's labels cost 30 % of a 50,000-row export."""
    with translation.override("en"):
        return {value: str(label) for value, label in field_choices(field_name)}


def field_choices(field_name: str):
    return VolunteerSignup._meta.get_field(field_name).flatchoices


def export_row(signup: VolunteerSignup) -> list[str]:
    """One CSV row; `signup` comes from VolunteerSignup.objects.for_export()."""
    return [
        signup.reference,
        english_labels("state").get(signup.state, signup.state),
        timezone.localtime(signup.created_at).strftime("%Y-%m-%d %H:%M"),
        signup.full_name,
        signup.email,
        display_phone(signup.phone) if signup.phone else "",
        signup.zip_code,
        english_labels("age_band").get(signup.age_band, signup.age_band),
        signup.guardian_name,
        display_phone(signup.guardian_phone) if signup.guardian_phone else "",
        "; ".join(sorted(signup.program_names.split(PROGRAM_SEPARATOR)))
        if signup.program_names
        else "",
        "; ".join(label for field, label in english_availability() if getattr(signup, field)),
        signup.message,
        signup.coordinator_notes,
        english_labels("language").get(signup.language, signup.language),
    ]


@admin.register(DecisionEmail)
class DecisionEmailAdmin(RefuseControlCharactersAdmin, TranslationAdmin):
    """The email in English and Spanish: a volunteer who used the Spanish form gets the Spanish
    one once both its subject and body are filled in, the English one until then."""

    list_display = ["__str__", "subject"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
