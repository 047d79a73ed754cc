import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from core import maps
from core import phone as phone_numbers
from core.zipcodes import birmingham_zip_codes, normalize_zip

NAME_PATTERN = re.compile(r"[^\W\d_]+(?:[ '’.-]+[^\W\d_]+)*\.?")
NAME_MAX_LENGTH = 80


def normalize_neighborhood(raw: str) -> str | None:
    """A neighborhood name as compared: case and spacing forgiven; None if it is not a name."""
    name = " ".join(unicodedata.normalize("NFKC", raw).split()).casefold()
    if len(name) > NAME_MAX_LENGTH or not NAME_PATTERN.fullmatch(name):
        return None
    return name


class PrecinctQuerySet(models.QuerySet):
    def in_order(self):
        return self.order_by("order", "name")

    def serving(self, *, kind, value):
        """The precincts a service area (a normalized ZIP code or neighborhood) belongs to."""
        return self.filter(service_areas__kind=kind, service_areas__value=value).in_order()


class Precinct(models.Model):
    """One of the four patrol precincts residents call to reach their CPO and CSO.

    Only the address and phone are in the source documents; the rest starts empty and the
    public page leaves out whatever is empty.
    """

    slug = models.SlugField(
        unique=True,
        help_text="The page's address, /precincts/<slug>/. It cannot change once saved: "
        "people bookmark it.",
    )
    name = models.CharField(max_length=100, help_text="For example, North Precinct.")
    street_address = models.CharField(max_length=200)
    city = models.CharField(max_length=100, default="Birmingham")
    state = models.CharField(max_length=2, default="AL")
    postal_code = models.CharField("ZIP code", max_length=10)
    phone = models.CharField(
        max_length=20,
        help_text="Type it any usual way, like (205) 254-2860; it is stored as +12052542860.",
    )
    email = models.EmailField(blank=True, help_text="Shown on the page when filled in.")
    hours = models.TextField(
        "opening hours",
        blank=True,
        help_text="Plain text, as staff have confirmed them. Leave empty rather than guess.",
    )
    commander = models.CharField(
        max_length=150, blank=True, help_text="The precinct commander's name and rank."
    )
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text="With the latitude, the Directions link points at the building itself.",
    )
    contact_checked_on = models.DateField(
        "contact details last checked",
        null=True,
        blank=True,
        help_text="Set with the list's action “Mark contact details checked today”.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PrecinctQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="precinct_coordinates_both_or_neither",
                violation_error_message="Enter both the latitude and the longitude, or neither.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("precincts:detail", args=[self.slug])

    def clean(self):
        try:
            self.phone = phone_numbers.normalize(self.phone or "")
        except phone_numbers.InvalidPhoneNumber:
            raise ValidationError(
                {"phone": "Enter a US phone number, like (205) 254-2860."}
            ) from None

    @property
    def vcard_url(self):
        return reverse("files:precinct_vcard", args=[self.slug])

    @property
    def locality_line(self):
        return f"{self.city}, {self.state} {self.postal_code}"

    @property
    def one_line_address(self):
        return f"{self.street_address}, {self.locality_line}"

    @property
    def directions(self):
        """Directions to the building (core/maps.py: the web link and the phone's map app)."""
        return maps.directions(
            address=self.one_line_address, latitude=self.latitude, longitude=self.longitude
        )


class ServiceAreaQuerySet(models.QuerySet):
    def uncovered_birmingham_zip_codes(self) -> list[str]:
        """Birmingham, AL ZIP codes that no staff-entered service area covers yet."""
        covered = set(self.filter(kind=ServiceArea.Kind.ZIP).values_list("value", flat=True))
        return [code for code in birmingham_zip_codes() if code not in covered]


class ServiceArea(models.Model):
    """A ZIP code or neighborhood a precinct serves: what the finder looks up."""

    class Kind(models.TextChoices):
        ZIP = "zip", "ZIP code"
        NEIGHBORHOOD = "neighborhood", "Neighborhood"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    value = models.CharField(
        max_length=NAME_MAX_LENGTH,
        help_text="A 5-digit ZIP code, or a neighborhood name. Stored as the finder compares "
        "it: ZIP+4 cut to 5 digits, names in lower case with single spaces.",
    )
    precinct = models.ForeignKey(Precinct, on_delete=models.CASCADE, related_name="service_areas")

    objects = ServiceAreaQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "value", "precinct__order"]
        verbose_name = "service area"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value", "precinct"],
                name="service_area_once_per_precinct",
                violation_error_message="This precinct already serves that area.",
            )
        ]
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.value}"

    def clean(self):
        normalize = normalize_zip if self.kind == self.Kind.ZIP else normalize_neighborhood
        value = normalize(self.value or "")
        if value is None:
            message = (
                "Enter a 5-digit ZIP code, like 35207."
                if self.kind == self.Kind.ZIP
                else "Enter a neighborhood name: letters, spaces, hyphens and apostrophes."
            )
            raise ValidationError({"value": message})
        self.value = value
