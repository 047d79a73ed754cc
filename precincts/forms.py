from django import forms
from django.utils.translation import gettext_lazy as _

from core.zipcodes import normalize_zip
from precincts.models import ServiceArea, normalize_neighborhood

EXPECTED = _("Enter a 5-digit ZIP code, like 35207, or a neighborhood name, like Ensley.")


class FinderForm(forms.Form):
    """The finder's one question: a ZIP code or a neighborhood, as a (kind, value) pair."""

    q = forms.CharField(
        label=_("ZIP code or neighborhood"),
        required=True,
        strip=False,
        error_messages={"required": EXPECTED, "null_characters_not_allowed": EXPECTED},
    )

    def clean_q(self):
        raw = self.cleaned_data["q"]
        zip_code = normalize_zip(raw)
        if zip_code:
            return ServiceArea.Kind.ZIP, zip_code
        name = normalize_neighborhood(raw)
        if name:
            return ServiceArea.Kind.NEIGHBORHOOD, name
        raise forms.ValidationError(EXPECTED)

    @property
    def typed(self) -> str:
        """What the person typed, to show back to them in the box."""
        return self.data.get("q", "").replace("\x00", "") if self.is_bound else ""


class ServiceAreaUploadForm(forms.Form):
    MAX_BYTES = 1024 * 1024

    file = forms.FileField(
        label="CSV file",
        help_text="Columns kind,value,precinct with that header line, saved as CSV UTF-8.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(
                "The file is larger than 1 MB: split it into smaller files."
            )
        return upload
