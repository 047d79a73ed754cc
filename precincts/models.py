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


def tidy_name(raw: str) -> str:
    """A name as written, with its spacing tidied: what the pages show."""
    return " ".join(unicodedata.normalize("NFKC", raw).split())


def normalize_neighborhood(raw: str) -> str | None:
    """A neighborhood name as compared: case, accents, spacing and apostrophes forgiven
    (“Pratt  city”, “PRATT CITY” and “Prátt City” are one name); None if it is not a name."""
    name = tidy_name(raw).casefold().replace("’", "'")
    if len(name) > NAME_MAX_LENGTH or not NAME_PATTERN.fullmatch(name):
        return None
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


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
    area_square_miles = models.DecimalField(
        "area (square miles)",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Only as a source states it; the page names the source below.",
    )
    area_source = models.URLField(
        "source of the area",
        blank=True,
        help_text="The address of the page the area figure comes from.",
    )
    crime_prevention_officer = models.CharField(
        "Crime Prevention Officer",
        max_length=150,
        blank=True,
        help_text="Name and rank, as the officer wants it published. Until it is filled in, "
        "the page says it is not published yet and gives the COPE phone.",
    )
    crime_prevention_officer_phone = models.CharField(
        "Crime Prevention Officer's phone",
        max_length=20,
        blank=True,
        help_text="Type it any usual way, like (205) 254-2860.",
    )
    crime_prevention_officer_email = models.EmailField(
        "Crime Prevention Officer's email", blank=True
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
        errors = {}
        for name in ["phone", "crime_prevention_officer_phone"]:
            value = getattr(self, name) or ""
            if name != "phone" and not value:
                continue
            try:
                setattr(self, name, phone_numbers.normalize(value))
            except phone_numbers.InvalidPhoneNumber:
                errors[name] = "Enter a US phone number, like (205) 254-2860."
        if errors:
            raise ValidationError(errors)

    @property
    def station_point(self) -> tuple[float, float] | None:
        """The building as (longitude, latitude), when staff entered its coordinates."""
        if self.latitude is None or self.longitude is None:
            return None
        return float(self.longitude), float(self.latitude)

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
    def neighborhoods(self):
        return self.filter(kind=ServiceArea.Kind.NEIGHBORHOOD)

    def neighborhoods_by_source(self) -> dict:
        """A precinct page's neighborhoods: those staff confirmed, then each source's others."""
        confirmed, sourced = [], {}
        for area in self.neighborhoods().order_by("label", "value"):
            if area.confirmed:
                confirmed.append(area)
            else:
                sourced.setdefault(area.source, []).append(area)
        return {
            "confirmed": confirmed,
            "sourced": [
                (
                    {"url": source if source.startswith("https://") else "", "text": source},
                    areas,
                )
                for source, areas in sourced.items()
            ],
        }

    def neighborhood_names(self) -> dict[str, str]:
        """Every neighborhood on file: its compared form -> its name as written."""
        return {
            value: label or value.title()
            for value, label in self.neighborhoods().values_list("value", "label")
        }

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
    label = models.CharField(
        "name as written",
        max_length=NAME_MAX_LENGTH,
        blank=True,
        help_text="A neighborhood's name as the pages show it, accents and capitals kept. "
        "Filled in from the value when left empty.",
    )
    precinct = models.ForeignKey(Precinct, on_delete=models.CASCADE, related_name="service_areas")
    source = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where this comes from when it is not staff's own knowledge, such as the "
        "address of a BPD page. The public page names the source until staff confirm it.",
    )
    confirmed = models.BooleanField(
        "confirmed by staff",
        default=True,
        help_text="Untick for an area taken from a source that staff have not checked yet.",
    )
    partly_outside_city = models.BooleanField(
        "partly outside the city",
        default=False,
        help_text="For a ZIP code: tick only when a source or staff know that part of it lies "
        "outside the City of Birmingham. The finder then says so.",
    )

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
        if self.kind == self.Kind.NEIGHBORHOOD and not self.label:
            self.label = tidy_name(self.value)
        if self.kind == self.Kind.ZIP:
            self.label = ""
        self.value = value
        if self.partly_outside_city and self.kind != self.Kind.ZIP:
            raise ValidationError(
                {"partly_outside_city": "Only a ZIP code can be partly outside the city."}
            )

    @property
    def name(self) -> str:
        return self.label or self.value


class BoundaryQuerySet(models.QuerySet):
    def for_map(self):
        return self.select_related("precinct").order_by("precinct__order", "precinct__name")


class PrecinctBoundary(models.Model):
    """A precinct's area as the city drew it: a GeoJSON (Multi)Polygon in WGS 84 longitude and
    latitude, loaded from a file with its source and date (services.load_boundaries)."""

    precinct = models.OneToOneField(Precinct, on_delete=models.CASCADE, related_name="boundary")
    geometry = models.JSONField(help_text="The GeoJSON geometry, as loaded.")
    min_longitude = models.FloatField()
    min_latitude = models.FloatField()
    max_longitude = models.FloatField()
    max_latitude = models.FloatField()
    source = models.CharField(
        max_length=300, help_text="Who published the boundaries, or the file's address."
    )
    source_date = models.DateField("date of the source")
    loaded_at = models.DateTimeField(auto_now_add=True)

    objects = BoundaryQuerySet.as_manager()

    class Meta:
        ordering = ["precinct__order"]
        verbose_name = "precinct boundary"
        verbose_name_plural = "precinct boundaries"

    def __str__(self):
        return f"Boundary of the {self.precinct}"
