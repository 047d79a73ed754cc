import functools
import re
from datetime import date

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from recommendations.models import Status, status_labels

NO_STATUS = "none"  # the filter's value for rows the source report did not publish


class EnglishNamesSelect(forms.Select):
    """A select whose options (focus areas) are named in English, as staff wrote them: on a page
    in another language each option says lang="en", so it is read with an English voice."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value and get_language() != settings.LANGUAGE_CODE:
            option["attrs"]["lang"] = settings.LANGUAGE_CODE
        return option


@functools.cache
def filter_words(language: str | None) -> dict[str, str]:
    """The tracker filters' labels and first options in `language`, translated once per
    language and process rather than at every render of the tracker."""
    with translation.override(language):
        labels = {name: str(field.label) for name, field in TrackerFilterForm.base_fields.items()}
        return labels | {
            "any_status": gettext("Any status (%(count)s)"),
            "any_focus": gettext("Any focus area"),
        }


class TrackerFilterForm(forms.Form):
    """The tracker's filters, as GET parameters so a filtered view is a link to share."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        error_messages={"invalid_choice": _("that is not one of the plan's statuses.")},
    )
    focus = forms.ChoiceField(
        label=_("Focus area"),
        required=False,
        widget=EnglishNamesSelect,
        error_messages={"invalid_choice": _("there is no such focus area.")},
    )
    q = forms.CharField(
        label=pgettext_lazy("search the plan", "Words"),
        required=False,
        max_length=200,
        error_messages={
            "max_length": _("search for 200 characters at most."),
            "null_characters_not_allowed": _("the words contain a character we cannot search for."),
        },
    )

    def __init__(self, *args, counts: dict[str, int], focus_areas, **kwargs):
        kwargs.setdefault("label_suffix", "")  # the template writes its labels
        super().__init__(*args, **kwargs)
        language = get_language()
        words = filter_words(language)
        for name in ("status", "focus", "q"):
            self.fields[name].label = words[name]
        labels = status_labels(language)
        self.fields["status"].choices = (
            [("", words["any_status"] % {"count": sum(counts.values())})]
            + [(code, f"{labels[code]} ({counts[code]})") for code in Status.values]
            + [(NO_STATUS, f"{labels['']} ({counts['']})")]
        )
        self.fields["focus"].choices = [("", words["any_focus"])] + [
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
        label=_("Changes since"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD, for example 2026-03-01.")},
    )

    def since_date(self):
        """The valid date, or None (an invalid one is ignored: the whole log is shown)."""
        return self.cleaned_data.get("since") if self.is_bound and self.is_valid() else None


ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_day(raw: str) -> date | None:
    """`raw` as a calendar date written YYYY-MM-DD, else None: ?since= everywhere. Python's
    fromisoformat alone also takes week dates (2025-W05-1) and other digits."""
    if not ISO_DAY.fullmatch(raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None
