from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import linebreaks_filter
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from modeltranslation.admin import TranslationAdmin

from ask.models import (
    Registration,
    Request,
    RequestDecisionEmail,
    RequestLanguage,
    RequestState,
    RequestStateChange,
)
from ask.services import (
    InvalidTransition,
    NotPublishable,
    cancel_registration,
    change_request_state,
    compose_decision_email,
    event_title,
    schedule_as_event,
)
from ask.tasks import send_decision_email
from core.admin import state_action as shared_state_action
from core.textsafe import RefuseControlCharactersAdmin


def state_action(state: RequestState, *, send_decision: bool = False):
    """An admin action moving the selected requests to `state` (core.admin.state_action)."""
    return shared_state_action(
        state,
        move=lambda item, state, user: change_request_state(request=item, state=state, by=user),
        refused_as=InvalidTransition,
        queue_decision=lambda item: send_decision_email.enqueue(request_id=item.pk),
        send_decision=send_decision,
    )


LANGUAGE_NAMES = dict(RequestLanguage.choices)
# What {event} stands for in a preview before the request is a public event: sent then, it is empty.
EVENT_TO_COME = "[the public event's address, once the request is scheduled as one]"


def email_preview(text) -> str:
    """A decision email as its reader gets it: language, subject and body, escaped."""
    return format_html(
        '<div class="email-preview" lang="{}"><p>In {}. <strong>Subject:</strong> {}</p>{}</div>',
        text.language,
        LANGUAGE_NAMES[text.language],
        text.subject,
        linebreaks_filter(text.body),
    )


class ScheduleForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        help_text="Public: the kind and the streets, never the requester's name or group.",
    )
    starts_at = forms.DateTimeField(
        label="starts", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label="ends", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            raise ValidationError("The end must come after the start.")
        return data


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
        "accepted_privacy_notice",
        "consented_to_publish",
        "public_event",
        "decision_emails",
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
        ("Consent", {"fields": ["accepted_privacy_notice", "consented_to_publish"]}),
        ("Staff", {"fields": ["staff_notes", "state_changed_at", "public_event"]}),
        ("Decision emails, as this requester would get them", {"fields": ["decision_emails"]}),
        (
            "Email",
            {"fields": ["confirmation_sent_at", "staff_notified_at", "notification_attempts"]},
        ),
    ]
    inlines = [StateChangeInline]
    actions = [
        state_action(RequestState.CONTACTED),
        state_action(RequestState.SCHEDULED),
        state_action(RequestState.SCHEDULED, send_decision=True),
        state_action(RequestState.DECLINED),
        state_action(RequestState.DECLINED, send_decision=True),
        state_action(RequestState.DONE),
    ]

    def has_add_permission(self, request):
        return False  # requests come from the public forms

    @admin.display(description="public event")
    def public_event(self, obj):
        if obj.event_id:
            return format_html('<a href="{}">{}</a>', obj.event.get_absolute_url(), obj.event)
        if obj.consented_to_publish and obj.state not in {RequestState.DECLINED, RequestState.DONE}:
            url = reverse("admin:ask_request_schedule", args=[obj.pk])
            return format_html('<a href="{}">Schedule as a public event…</a>', url)
        return "None (the requester did not agree to publishing)" if obj.pk else "-"

    @admin.display(description="preview")
    def decision_emails(self, obj):
        """What each decision email would say to this requester, sent now: the same
        composition the email uses. Nothing is sent from here."""
        if not obj.email:
            return "None can be sent: the requester gave no email address."
        templates = RequestDecisionEmail.objects.order_by("state")
        if not templates:
            return "No decision email is written yet (Ask COPE → Request decision emails)."
        return format_html_join(
            "",
            "<h4>When {}</h4>{}",
            (
                (
                    template.get_state_display().lower(),
                    email_preview(
                        compose_decision_email(
                            template=template, request=obj, event_link=EVENT_TO_COME
                        )
                    ),
                )
                for template in templates
            ),
        )

    def get_urls(self):
        schedule = self.admin_site.admin_view(self.schedule_view)
        return [
            path("<int:pk>/schedule/", schedule, name="ask_request_schedule"),
            *super().get_urls(),
        ]

    def schedule_view(self, request, pk):
        """Schedule a request and publish it as an event in one step (date, time, place)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        item = get_object_or_404(Request, pk=pk)
        form = ScheduleForm(request.POST or None, initial={"title": event_title(item)})
        if request.method == "POST" and form.is_valid():
            try:
                event = schedule_as_event(request=item, by=request.user, **form.cleaned_data)
            except (NotPublishable, InvalidTransition) as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error(None, "; ".join(error.messages))
            else:
                self.message_user(request, f"{item.reference} is scheduled: {event} is public.")
                return redirect(reverse("admin:ask_request_change", args=[item.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Schedule {item.reference} as a public event",
            "item": item,
            "form": form,
        }
        return TemplateResponse(request, "admin/ask/request/schedule.html", context)


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


@admin.register(RequestDecisionEmail)
class RequestDecisionEmailAdmin(RefuseControlCharactersAdmin, TranslationAdmin):
    """The email in English and Spanish: a requester who used the Spanish form gets the Spanish
    one once both its subject and body are filled in, the English one until then. Staff write
    them: until one exists for a state, no decision email is sent for it."""

    list_display = ["__str__", "subject"]
    readonly_fields = ["preview"]

    @admin.display(description="preview (as saved)")
    def preview(self, obj):
        """The saved email as a requester of each language would get it, with an example name
        and reference: save (and continue editing) to see a change."""
        if obj is None or obj.pk is None:
            return "Save to see the email as requesters get it."
        return format_html_join(
            "",
            "{}",
            (
                (
                    email_preview(
                        compose_decision_email(
                            template=obj,
                            request=Request(
                                reference="R-EXAMPLE",
                                contact_name="Ana Example",
                                language=language,
                            ),
                            event_link=f"{settings.SITE_URL}/events/example/",
                        )
                    ),
                )
                for language in RequestLanguage.values
            ),
        )
