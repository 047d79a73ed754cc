import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.zipcodes import normalize_zip
from precincts.finder import By
from precincts.models import normalize_neighborhood

EXPECTED = _(
    "Enter a 5-digit ZIP code, like 35207, a neighborhood name, like Ensley, or a street "
    "address, like 2600 31st Avenue North."
)
LOCATION_UNREADABLE = _(
    "Your location could not be read. Type your ZIP code, neighborhood or street address instead."
)
ADDRESS_MAX_LENGTH = 200
# A street address: a house number and a street name (ASCII digits, letters, a space).
ADDRESS_PATTERN = re.compile(r"(?=.*[0-9])(?=.*[^\W\d_])(?=.* )[^\x00-\x1f\x7f]+")


class FinderForm(forms.Form):
    """The finder's one question, read as (kind, value): a ZIP code, a neighborhood name (as
    compared) or a street address (spacing tidied)."""

    q = forms.CharField(
        label=_("ZIP code, neighborhood or street address"),
        required=True,
        strip=False,
        error_messages={"required": EXPECTED, "null_characters_not_allowed": EXPECTED},
    )

    def clean_q(self):
        raw = self.cleaned_data["q"]
        zip_code = normalize_zip(raw)
        if zip_code:
            return By.ZIP, zip_code
        name = normalize_neighborhood(raw)
        if name:
            return By.NEIGHBORHOOD, name
        address = " ".join(raw.split())
        if len(address) <= ADDRESS_MAX_LENGTH and ADDRESS_PATTERN.fullmatch(address):
            return By.ADDRESS, address
        raise forms.ValidationError(EXPECTED)

    @property
    def typed(self) -> str:
        """What the person typed, to show back to them in the box."""
        return self.data.get("q", "").replace("\x00", "") if self.is_bound else ""


class LocationForm(forms.Form):
    """What "Use my location" sends: a point, read as (By.LOCATION, (longitude, latitude))."""

    lat = forms.FloatField(min_value=-90, max_value=90)
    lon = forms.FloatField(min_value=-180, max_value=180)
    typed = ""

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            raise forms.ValidationError(LOCATION_UNREADABLE)
        cleaned["q"] = (By.LOCATION, (cleaned["lon"], cleaned["lat"]))
        return cleaned

    @property
    def error(self) -> str:
        return str(LOCATION_UNREADABLE)


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


class BoundaryUploadForm(forms.Form):
    MAX_BYTES = 10 * 1024 * 1024

    file = forms.FileField(
        label="GeoJSON file",
        help_text="A FeatureCollection in WGS 84 longitude and latitude, one Polygon or "
        "MultiPolygon feature per precinct, each with a “precinct” property holding the "
        "precinct's slug (north, south, east, west). It replaces the boundaries on file.",
    )
    source = forms.CharField(
        max_length=300,
        help_text="Who published the boundaries, or the address you downloaded them from.",
    )
    source_date = forms.DateField(
        label="date of the source",
        help_text="The date the source gives for the boundaries (YYYY-MM-DD).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB.")
        return upload
