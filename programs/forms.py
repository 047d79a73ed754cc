import unicodedata
from functools import cached_property

from django import forms
from django.utils.translation import gettext_lazy as _

from core import phone as phone_numbers
from core.mailboxes import MailboxField
from core.zipcodes import ZIP_FORMAT, normalize_zip
from programs.models import AVAILABILITY, AgeBand, Program
from programs.services import check_age_rule

PHONE_FORMAT = _("Enter a US phone number with its area code, like 205 555 0142")


def as_name(value: str) -> str:
    """A name with its spaces tidied; "" when it has no letter at all (only spaces, zero-width
    or other invisible characters, punctuation), which is no name."""
    name = " ".join(value.split())
    return name if any(unicodedata.category(c).startswith("L") for c in name) else ""


def us_phone(value: str, message: str = PHONE_FORMAT) -> str:
    if not value:
        return ""
    try:
        return phone_numbers.normalize(value)
    except phone_numbers.InvalidPhoneNumber:
        raise forms.ValidationError(message) from None


class ProgramChoiceField(forms.ModelMultipleChoiceField):
    """Checkboxes of programs; a value that cannot be a program's id is refused unqueried."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not (text.isascii() and text.isdigit() and 0 < int(text) < 2**31):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super()._check_values(value)


# Something was typed, but with no letter in it ("12345"): say what is wrong with it.
NAME_IN_LETTERS = _("Enter your full name in letters, not only numbers or symbols")
GUARDIAN_NAME_IN_LETTERS = _(
    "Enter your parent or guardian's full name in letters, not only numbers or symbols"
)


def full_name_field(label) -> forms.CharField:
    """The name of the person a form is about (the volunteer, the one asking COPE)."""
    return forms.CharField(
        label=label,
        max_length=200,
        error_messages={
            "required": _("Enter your full name"),
            "max_length": _("Full name must be 200 characters or fewer"),
        },
    )


def email_field(*, required_message=None) -> MailboxField:
    """An email address to reach someone at: optional (a phone number may do instead) unless
    `required_message` says why it is needed."""
    return MailboxField(
        label=_("Email address"),
        required=required_message is not None,
        max_length=254,
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": _("Email address must be 254 characters or fewer"),
        }
        | ({"required": required_message} if required_message else {}),
    )


def phone_field(label=None) -> forms.CharField:
    """A US phone number, optional, checked by `us_phone` in the form's clean_phone."""
    return forms.CharField(
        label=label or _("Phone number"),
        required=False,
        max_length=30,
        error_messages={"max_length": PHONE_FORMAT},
    )


class VolunteerSignupForm(forms.Form):
    """The online volunteer application. Messages follow the GOV.UK pattern: say what to do."""

    full_name = full_name_field(_("Full name"))
    email = email_field()
    phone = phone_field()
    zip_code = forms.CharField(
        label=_("ZIP code"),
        max_length=10,
        error_messages={
            "required": _("Enter your ZIP code"),
            "max_length": ZIP_FORMAT,
        },
    )
    programs = ProgramChoiceField(
        label=_("Programs you are interested in"),
        queryset=Program.objects.taking_volunteers(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one program"),
            "invalid_choice": _("Choose programs from the list"),
            "invalid_pk_value": _("Choose programs from the list"),
            "invalid_list": _("Choose programs from the list"),
        },
    )
    availability = forms.MultipleChoiceField(
        label=_("When you are available"),
        choices=AVAILABILITY,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose when you are available"),
            "invalid_choice": _("Choose from weekday daytime, weekday evenings and weekends"),
            "invalid_list": _("Choose from weekday daytime, weekday evenings and weekends"),
        },
    )
    age_band = forms.ChoiceField(
        label=_("Your age"),
        choices=AgeBand.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Say whether you are under 18 or 18 or over"),
            "invalid_choice": _("Say whether you are under 18 or 18 or over"),
        },
    )
    guardian_name = forms.CharField(
        label=_("Parent or guardian's full name"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("The name must be 200 characters or fewer")},
    )
    guardian_phone = forms.CharField(
        label=_("Parent or guardian's phone number"),
        required=False,
        max_length=30,
        error_messages={"max_length": PHONE_FORMAT},
    )
    message = forms.CharField(
        label=_("Anything else you would like us to know (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Anything else must be 1,000 characters or fewer")},
    )
    accept_privacy_notice = forms.BooleanField(
        label=_("I have read the privacy notice"),
        error_messages={"required": _("Confirm you have read the privacy notice")},
    )
    consent_to_contact = forms.BooleanField(
        label=_("COPE may contact me about volunteering"),
        error_messages={"required": _("Agree that COPE may contact you, so we can reply")},
    )
    # A field people never see (hidden by CSS and from assistive technology); bots fill it.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Leave this field empty")},
    )

    # The order the page shows the fields in, so the error summary follows it.
    field_order = [
        "full_name",
        "age_band",
        "guardian_name",
        "guardian_phone",
        "email",
        "phone",
        "zip_code",
        "programs",
        "availability",
        "message",
        "website",
        "accept_privacy_notice",
        "consent_to_contact",
    ]

    def clean_full_name(self):
        name = as_name(self.cleaned_data["full_name"])
        if not name:
            raise forms.ValidationError(NAME_IN_LETTERS)
        return name

    def clean_guardian_name(self):
        name = self.cleaned_data["guardian_name"]
        if name.strip() and not as_name(name):
            raise forms.ValidationError(GUARDIAN_NAME_IN_LETTERS)
        return as_name(name)

    def clean_phone(self):
        return us_phone(self.cleaned_data["phone"].strip())

    def clean_guardian_phone(self):
        return us_phone(self.cleaned_data["guardian_phone"].strip())

    def clean_zip_code(self):
        zip_code = normalize_zip(self.cleaned_data["zip_code"])
        if zip_code is None:
            raise forms.ValidationError(ZIP_FORMAT)
        return zip_code

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Leave this field empty"))
        return ""

    def clean(self):
        data = super().clean()
        if (
            not data.get("email")
            and not data.get("phone")
            and not self.has_error("email")
            and (not self.has_error("phone"))
        ):
            self.add_error("email", _("Enter an email address or a phone number, so we can reply"))
        if data.get("age_band") == AgeBand.ADULT:
            # The guardian's fields are hidden for adults: nothing typed there is kept or refused.
            for name in ("guardian_name", "guardian_phone"):
                self.errors.pop(name, None)
                data[name] = ""
        if data.get("age_band") == AgeBand.UNDER_18:
            if not data.get("guardian_name", "").strip() and not self.has_error("guardian_name"):
                self.add_error("guardian_name", _("Enter your parent or guardian's full name"))
            if not data.get("guardian_phone") and not self.has_error("guardian_phone"):
                self.add_error("guardian_phone", _("Enter your parent or guardian's phone number"))
        try:
            check_age_rule(age_band=data.get("age_band"), programs=data.get("programs", []))
        except forms.ValidationError as error:
            self.add_error(None, error)
        return data

    @cached_property
    def program_groups(self):
        """Programs that take sign-ups, grouped by kind, each with whether it is ticked."""
        ticked = {str(value) for value in (self["programs"].value() or [])}
        groups = {}
        for program in (
            self.fields["programs"]
            .queryset.select_related("kind")
            .order_by("kind__order", "order", "name")
        ):
            groups.setdefault(program.kind, []).append((program, str(program.pk) in ticked))
        return list(groups.items())

    def error_list(self):
        """(field id, message) for the error summary, in the order the fields appear."""
        items = []
        for field in self:
            for message in field.errors:
                items.append((self.first_control_id(field.name), message))
        return items

    def first_control_id(self, name: str) -> str:
        if name == "programs":
            first = next(iter(self.program_groups), (None, [(None, False)]))[1][0][0]
            return f"id_programs_{first.pk}" if first else "id_programs"
        if name in {"availability", "age_band"}:
            return f"id_{name}_0"
        return f"id_{name}"
