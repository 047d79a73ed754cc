"""The request forms. Messages follow the volunteer form's pattern (GOV.UK): say what to do,
beside the field, with everything typed kept."""

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ask.models import RequestKind
from core.textsafe import CONTROL_CHARACTERS
from programs.forms import (
    NAME_IN_LETTERS,
    as_name,
    email_field,
    full_name_field,
    phone_field,
    us_phone,
)

FURTHEST_DAYS = 365  # a date further ahead than a year is a typing mistake, or a plan too far
DATE_INPUTS = ["%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"]
DATE_FORMAT = _("Enter a date like 2027-05-14, or pick one from the calendar")
# A street address: a house number and a street name, on one line.
ADDRESS_PATTERN = re.compile(r"(?=.*[0-9])(?=.*[^\W\d_])(?=.* )[^\x00-\x1f\x7f]+")


def plain_text(value: str, message) -> str:
    """Free text with its invisible control characters refused (tab and line breaks kept)."""
    if CONTROL_CHARACTERS.search(value):
        raise forms.ValidationError(message)
    return value.strip()


class DateChoiceField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, **kwargs):
        super().__init__(
            input_formats=DATE_INPUTS,
            error_messages={"invalid": DATE_FORMAT, **kwargs.pop("error_messages", {})},
            **kwargs,
        )


class RequestForm(forms.Form):
    """What every request asks: who to reach, when, what about, and consent."""

    request_kind = None  # the RequestKind a form makes, unless it asks (field "kind")
    contact_name = full_name_field(_("Your full name"))
    email = email_field()
    phone = phone_field()
    first_choice = DateChoiceField(
        label=_("First choice of date"),
        error_messages={"required": _("Enter the date you would like most")},
    )
    second_choice = DateChoiceField(label=_("Second choice of date (optional)"), required=False)
    third_choice = DateChoiceField(label=_("Third choice of date (optional)"), required=False)
    time_of_day = forms.CharField(
        label=_("Preferred time (optional)"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("The time must be 100 characters or fewer")},
    )
    topics = forms.CharField(
        label=_("What would you like to talk about?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Say what you would like to talk about"),
            "max_length": _("This must be 1,000 characters or fewer"),
        },
    )
    needs = forms.CharField(
        label=_("Accessibility or language needs (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("This must be 1,000 characters or fewer")},
    )
    # A field people never see (hidden by CSS and from assistive technology); bots fill it.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Leave this field empty")},
    )
    accept_privacy_notice = forms.BooleanField(
        label=_("I have read the privacy notice"),
        error_messages={"required": _("Confirm you have read the privacy notice")},
    )
    consent_to_publish = forms.BooleanField(
        label=_(
            "Once it is agreed, COPE may list its date, time and place on the portal's events "
            "page (never your name or contact details)"
        ),
        required=False,
    )

    def clean_contact_name(self):
        name = as_name(self.cleaned_data["contact_name"])
        if not name:
            raise forms.ValidationError(NAME_IN_LETTERS)
        return name

    def clean_phone(self):
        return us_phone(self.cleaned_data["phone"].strip())

    def clean_time_of_day(self):
        return plain_text(self.cleaned_data["time_of_day"], INVISIBLE)

    def clean_topics(self):
        text = plain_text(self.cleaned_data["topics"], INVISIBLE)
        if not text:
            raise forms.ValidationError(_("Say what you would like to talk about"))
        return text

    def clean_needs(self):
        return plain_text(self.cleaned_data["needs"], INVISIBLE)

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Leave this field empty"))
        return ""

    def check_date(self, name):
        value = self.cleaned_data.get(name)
        if value is None:
            return
        today = timezone.localdate()
        if value <= today:
            self.add_error(name, _("Choose a date after today"))
        elif value > today + datetime.timedelta(days=FURTHEST_DAYS):
            self.add_error(name, _("Choose a date within the next 12 months"))

    def clean(self):
        data = super().clean()
        if (
            not data.get("email")
            and not data.get("phone")
            and not self.has_error("email")
            and not self.has_error("phone")
        ):
            self.add_error("email", _("Enter an email address or a phone number, so we can reply"))
        for name in ("first_choice", "second_choice", "third_choice"):
            self.check_date(name)
        seen = set()
        for name in ("first_choice", "second_choice", "third_choice"):
            value = data.get(name)
            if value and not self.has_error(name):
                if value in seen:
                    self.add_error(name, _("Choose a different date from your other choices"))
                seen.add(value)
        return data

    def request_fields(self) -> dict:
        """The cleaned data as the service takes it."""
        data = dict(self.cleaned_data)
        data.pop("website")
        if self.request_kind is not None:
            data["kind"] = self.request_kind
        return data

    def error_list(self):
        """(field id, message) for the error summary, in the order the fields appear."""
        return [
            (self.first_control_id(field.name), message)
            for field in self
            for message in field.errors
        ]

    def first_control_id(self, name: str) -> str:
        return f"id_{name}_0" if name == "kind" else f"id_{name}"


INVISIBLE = _(
    "This text contains an invisible character, often pasted from another document: retype it"
)


class SpeakerRequestForm(RequestForm):
    request_kind = RequestKind.SPEAKER

    organization = forms.CharField(
        label=_("Name of your group or organization"),
        max_length=200,
        error_messages={
            "required": _("Enter the name of your group or organization"),
            "max_length": _("The name must be 200 characters or fewer"),
        },
    )
    group_kind = forms.CharField(
        label=_("What kind of group is it?"),
        max_length=200,
        error_messages={
            "required": _("Say what kind of group it is"),
            "max_length": _("This must be 200 characters or fewer"),
        },
    )
    online = forms.BooleanField(label=_("It will be online"), required=False)
    place = forms.CharField(
        label=_("Address in Birmingham"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("The address must be 200 characters or fewer")},
    )
    audience_size = forms.IntegerField(
        label=_("How many people do you expect?"),
        min_value=1,
        max_value=10000,
        error_messages={
            "required": _("Enter how many people you expect, as a number"),
            "invalid": _("Enter how many people you expect, as a number, like 40"),
            "min_value": _("Enter a number of people of 1 or more"),
            "max_value": _("Enter a number of people of 10,000 or fewer"),
        },
    )

    field_order = [
        "organization",
        "group_kind",
        "audience_size",
        "contact_name",
        "email",
        "phone",
        "first_choice",
        "second_choice",
        "third_choice",
        "time_of_day",
        "online",
        "place",
        "topics",
        "needs",
        "website",
        "accept_privacy_notice",
        "consent_to_publish",
    ]

    def clean_organization(self):
        name = " ".join(self.cleaned_data["organization"].split())
        if not as_name(name):
            raise forms.ValidationError(_("Enter the name of your group in letters"))
        return name

    def clean_group_kind(self):
        return " ".join(plain_text(self.cleaned_data["group_kind"], INVISIBLE).split())

    def clean_place(self):
        address = " ".join(self.cleaned_data["place"].split())
        if address and not ADDRESS_PATTERN.fullmatch(address):
            raise forms.ValidationError(
                _("Enter a street address with its number, like 2600 31st Avenue North")
            )
        return address

    def clean(self):
        data = super().clean()
        if data.get("online"):
            data["place"] = ""  # hidden for an online talk: nothing typed there is kept
            self.errors.pop("place", None)
        elif not data.get("place") and not self.has_error("place"):
            self.add_error(
                "place", _("Enter the address where the talk will be, or tick “It will be online”")
            )
        return data


class WalkRequestForm(RequestForm):
    kind = forms.ChoiceField(
        label=_("What would you like?"),
        choices=[
            (RequestKind.WALK.value, RequestKind.WALK.label),
            (RequestKind.MEETING.value, RequestKind.MEETING.label),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a community walk or a meeting with officers"),
            "invalid_choice": _("Choose a community walk or a meeting with officers"),
        },
    )
    place = forms.CharField(
        label=_("Neighborhood or street"),
        max_length=200,
        error_messages={
            "required": _("Enter your neighborhood or street"),
            "max_length": _("This must be 200 characters or fewer"),
        },
    )

    field_order = [
        "kind",
        "place",
        "contact_name",
        "email",
        "phone",
        "first_choice",
        "second_choice",
        "third_choice",
        "time_of_day",
        "topics",
        "needs",
        "website",
        "accept_privacy_notice",
        "consent_to_publish",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].label = _("What do the neighbors want to talk about?")

    def clean_place(self):
        place = " ".join(plain_text(self.cleaned_data["place"], INVISIBLE).split())
        if not any(character.isalpha() for character in place):
            raise forms.ValidationError(_("Enter the name of your neighborhood or street"))
        return place


class RegistrationForm(forms.Form):
    """A seat in a class: who, and how to reach them (the cancel link goes by email)."""

    full_name = full_name_field(_("Full name"))
    email = email_field(
        required_message=_("Enter your email address: your confirmation and cancel link go there")
    )
    phone = phone_field(_("Phone number (optional)"))
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Leave this field empty")},
    )
    accept_privacy_notice = forms.BooleanField(
        label=_("I have read the privacy notice"),
        error_messages={"required": _("Confirm you have read the privacy notice")},
    )

    def clean_full_name(self):
        name = as_name(self.cleaned_data["full_name"])
        if not name:
            raise forms.ValidationError(NAME_IN_LETTERS)
        return name

    def clean_phone(self):
        return us_phone(self.cleaned_data["phone"].strip())

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Leave this field empty"))
        return ""

    def registration_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("website")
        return data

    def error_list(self):
        return [(f"id_{field.name}", message) for field in self for message in field.errors]
