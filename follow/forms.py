from django import forms

from follow.models import Frequency, Topic
from precincts.models import Precinct
from programs.models import Program
from recommendations.models import Recommendation


class FollowForm(forms.Form):
    """What to follow and where to send it. Messages say what to do (GOV.UK pattern)."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    topic = forms.ChoiceField(
        label="What to follow",
        choices=Topic,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what to follow",
            "invalid_choice": "Choose what to follow from the list",
        },
    )
    recommendation = forms.ModelChoiceField(
        label="Recommendation number",
        queryset=Recommendation.objects.order_by("number"),
        to_field_name="number",
        required=False,
        error_messages={"invalid_choice": "Choose a recommendation number from 1 to 82"},
    )
    precinct = forms.ModelChoiceField(
        label="Only this precinct's events (optional)",
        queryset=Precinct.objects.in_order(),
        to_field_name="slug",
        required=False,
        empty_label="Any precinct",
        error_messages={"invalid_choice": "Choose a precinct from the list"},
    )
    program = forms.ModelChoiceField(
        label="Only this program's events (optional)",
        queryset=Program.objects.published().order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="Any program",
        error_messages={"invalid_choice": "Choose a program from the list"},
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=Frequency,
        initial=Frequency.EACH,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how often to hear from us",
            "invalid_choice": "Choose how often to hear from us",
        },
    )
    # Hidden from people by CSS and from assistive technology; bots fill it.
    website = forms.CharField(label="Leave this field empty", required=False, max_length=200)

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError("Leave this field empty")
        return ""

    def clean(self):
        data = super().clean()
        topic = data.get("topic")
        if (
            topic == Topic.RECOMMENDATION
            and not data.get("recommendation")
            and not self.has_error("recommendation")
        ):
            self.add_error("recommendation", "Choose a recommendation number from 1 to 82")
        if topic == Topic.EVENTS and data.get("precinct") and data.get("program"):
            self.add_error("program", "Choose a precinct or a program, not both")
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
