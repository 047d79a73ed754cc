"""Street address -> longitude and latitude, through the geocoder named in settings.GEOCODER.

The default is the US Census Bureau's public geocoder (no key, no account). The address is
sent to it and nowhere else: never stored, never logged (not even in an error message).
"""

import json
import logging
import re
from dataclasses import dataclass
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

CENSUS_URL = "https://geocoding.geo.census.gov/geocoder/locations/onelineaddress"
MAX_RESPONSE_BYTES = 1024 * 1024
HAS_PLACE = re.compile(r",|\b[0-9]{5}(?:-[0-9]{4})?\s*$")


class GeocoderUnavailable(Exception):
    """The geocoder did not answer, or answered something unreadable."""


@dataclass(frozen=True)
class Located:
    longitude: float
    latitude: float


def one_line(address: str) -> str:
    """The address as sent: a street alone is taken to be in Birmingham, AL."""
    address = " ".join(address.split())
    return address if HAS_PLACE.search(address) else f"{address}, Birmingham, AL"


class CensusGeocoder:
    """The Census Bureau's one-line address geocoder (geocoding.geo.census.gov)."""

    def __init__(self, *, url=CENSUS_URL, benchmark="Public_AR_Current", timeout=5):
        if not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("GEOCODER_URL must be an http(s) address.")
        self.url = url
        self.benchmark = benchmark
        self.timeout = timeout

    def locate(self, address: str) -> Located | None:
        """The first match's point, None when the geocoder knows no such address."""
        params = {"address": one_line(address), "benchmark": self.benchmark, "format": "json"}
        return self.read(self.fetch(params))

    def fetch(self, params: dict) -> dict:
        url = f"{self.url}?{urlencode(params)}"
        request = Request(url, headers={"User-Agent": "COPE portal (BPD)"})  # noqa: S310
        try:
            with urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read(MAX_RESPONSE_BYTES + 1)
        except (URLError, TimeoutError, OSError) as error:
            logger.warning("Geocoder unavailable: %s", type(error).__name__)
            raise GeocoderUnavailable from None
        if len(body) > MAX_RESPONSE_BYTES:
            raise GeocoderUnavailable
        try:
            return json.loads(body)
        except ValueError:
            logger.warning("Geocoder answered something that is not JSON")
            raise GeocoderUnavailable from None

    @staticmethod
    def read(data: dict) -> Located | None:
        try:
            matches = data["result"]["addressMatches"]
            if not matches:
                return None
            coordinates = matches[0]["coordinates"]
            return Located(longitude=float(coordinates["x"]), latitude=float(coordinates["y"]))
        except (KeyError, IndexError, TypeError, ValueError):
            logger.warning("Geocoder answered in an unexpected shape")
            raise GeocoderUnavailable from None


def geocoder():
    """The configured geocoder: settings.GEOCODER = {"BACKEND": dotted path, "OPTIONS": {}}."""
    config = settings.GEOCODER
    return import_string(config["BACKEND"])(**config.get("OPTIONS", {}))
