from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.languages import shown_language
from core.mailboxes import MailboxField
from follow.models import Frequency, Topic
from precincts.models import Precinct
from programs.models import Program
from recommendations.models import Recommendation


class NamedInItsLanguage(forms.Select):
    """A select of rows, each option marked with the language its label is shown in where
    that is not the page's (a recommendation's title is always the city's English; a row with
    no such text, "Recomendación 24", is labelled in the page's language and left unmarked)."""

    def __init__(self, *args, label_field: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_field = label_field

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None and getattr(instance, self.label_field):
            shown = shown_language(instance, self.label_field)
            if shown != get_language():
                option["attrs"]["lang"] = shown
        return option


class FollowForm(forms.Form):
    """What to follow and where to send it. Messages say what to do (GOV.UK pattern)."""

    email = MailboxField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": _("Email address must be 254 characters or fewer"),
        },
    )
    topic = forms.ChoiceField(
        label=_("What to follow"),
        choices=Topic,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what to follow"),
            "invalid_choice": _("Choose what to follow from the list"),
        },
    )
    recommendation = forms.ModelChoiceField(
        label=_("Recommendation number"),
        queryset=Recommendation.objects.order_by("number"),
        to_field_name="number",
        required=False,
        empty_label=_("- Select an option -"),
        widget=NamedInItsLanguage(label_field="title"),
        error_messages={"invalid_choice": _("Choose a recommendation number from 1 to 82")},
    )
    precinct = forms.ModelChoiceField(
        label=_("Only this precinct's events (optional)"),
        queryset=Precinct.objects.in_order(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any precinct"),
        widget=NamedInItsLanguage(label_field="name"),
        error_messages={"invalid_choice": _("Choose a precinct from the list")},
    )
    program = forms.ModelChoiceField(
        label=_("Only this program's events (optional)"),
        queryset=Program.objects.published().order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Any program"),
        widget=NamedInItsLanguage(label_field="name"),
        error_messages={"invalid_choice": _("Choose a program from the list")},
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency,
        initial=Frequency.EACH,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how often to hear from us"),
            "invalid_choice": _("Choose how often to hear from us"),
        },
    )
    # Hidden from people by CSS and from assistive technology; bots fill it.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Leave this field empty"))
        return ""

    def clean(self):
        data = super().clean()
        topic = data.get("topic")
        if (
            topic == Topic.RECOMMENDATION
            and not data.get("recommendation")
            and not self.has_error("recommendation")
        ):
            self.add_error("recommendation", _("Choose a recommendation number from 1 to 82"))
        if topic == Topic.EVENTS and data.get("precinct") and data.get("program"):
            self.add_error("program", _("Choose a precinct or a program, not both"))
        if topic != Topic.RECOMMENDATION:
            data["recommendation"] = None
        if topic != Topic.EVENTS:
            data["precinct"] = data["program"] = None
        return data

    def followed(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in ("topic", "recommendation", "precinct", "program", "frequency")
        }

    def error_list(self):
        """(field id, message) for the error summary, in the order the fields appear."""
        ids = {"topic": "id_topic_0", "frequency": "id_frequency_0"}
        return [
            (ids.get(field.name, f"id_{field.name}"), message)
            for field in self
            for message in field.errors
        ]
