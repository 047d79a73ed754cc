from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class EventFilterForm(forms.Form):
    """The events list's filters, as GET parameters; values that do not fit are ignored."""

    precinct = forms.ChoiceField(
        label=_("Precinct"),
        required=False,
        error_messages={
            "invalid_choice": _("there is no such precinct, so events of all are shown.")
        },
    )
    program = forms.ChoiceField(
        label=_("Program"),
        required=False,
        error_messages={
            "invalid_choice": _("there is no such program, so events of all are shown.")
        },
    )

    def __init__(self, *args, precincts, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["precinct"].choices = [("", gettext("Any precinct"))] + [
            (p.slug, p.name) for p in precincts
        ]
        self.fields["program"].choices = [("", gettext("Any program"))] + [
            (p.slug, p.name) for p in programs
        ]

    def valid_data(self) -> dict:
        """The filters that can be used; an invalid one is dropped, the others still apply."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def filter(self, events):
        data = self.valid_data()
        if data.get("precinct"):
            events = events.filter(precinct__slug=data["precinct"])
        if data.get("program"):
            events = events.filter(programs__slug=data["program"])
        return events

    @property
    def is_filtered(self) -> bool:
        return bool(self.valid_data())

    def problems(self) -> list[str]:
        if not self.is_bound or self.is_valid():
            return []
        return [
            f"{self.fields[name].label}: {' '.join(errors)}" for name, errors in self.errors.items()
        ]
