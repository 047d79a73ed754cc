from django import forms

from recommendations.models import NO_STATUS_LABEL, Status

NO_STATUS = "none"  # the filter's value for rows the source report did not publish


class TrackerFilterForm(forms.Form):
    """The tracker's filters, as GET parameters so a filtered view is a link to share."""

    status = forms.ChoiceField(
        label="Status",
        required=False,
        error_messages={"invalid_choice": "that is not one of the plan's statuses."},
    )
    focus = forms.ChoiceField(
        label="Focus area",
        required=False,
        error_messages={"invalid_choice": "there is no such focus area."},
    )
    q = forms.CharField(
        label="Words",
        required=False,
        max_length=200,
        error_messages={
            "max_length": "search for 200 characters at most.",
            "null_characters_not_allowed": "the words contain a character we cannot search for.",
        },
    )

    def __init__(self, *args, counts: dict[str, int], focus_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = (
            [("", f"Any status ({sum(counts.values())})")]
            + [(code, f"{label} ({counts[code]})") for code, label in Status.choices]
            + [(NO_STATUS, f"{NO_STATUS_LABEL} ({counts['']})")]
        )
        self.fields["focus"].choices = [("", "Any focus area")] + [
            (area.slug, area.name) for area in focus_areas
        ]
        if not focus_areas:
            self.fields["focus"].widget = forms.HiddenInput()

    def filter(self, recommendations):
        """The recommendations the valid filters select; invalid ones are ignored."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("status"):
            status = "" if data["status"] == NO_STATUS else data["status"]
            recommendations = recommendations.filter(status=status)
        if data.get("focus"):
            recommendations = recommendations.filter(focus_area__slug=data["focus"])
        if data.get("q"):
            recommendations = recommendations.matching(data["q"])
        return recommendations

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and self.is_valid() and any(self.cleaned_data.values())

    def problems(self) -> list[str]:
        """Plain sentences for the filters that could not be used."""
        if not self.is_bound or self.is_valid():
            return []
        return [
            f"{self.fields[name].label}: {' '.join(errors)}" for name, errors in self.errors.items()
        ]


class ChangesFilterForm(forms.Form):
    """The change log's filter: changes dated on or after a day (a GET parameter)."""

    since = forms.DateField(
        label="Changes since",
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter a date as YYYY-MM-DD, for example 2026-03-01."},
    )

    def since_date(self):
        """The valid date, or None (an invalid one is ignored: the whole log is shown)."""
        return self.cleaned_data.get("since") if self.is_bound and self.is_valid() else None
