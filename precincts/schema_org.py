"""A precinct as schema.org PoliceStation data, for search engines and assistants (its names
in the page's language)."""

import json

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

# As Django's json_script: the data cannot close its <script> element or open a comment.
SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def police_station(precinct, *, url: str) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "PoliceStation",
        "name": gettext("%(precinct)s, Birmingham Police Department") % {"precinct": precinct.name},
        "url": url,
        "telephone": precinct.phone,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": precinct.street_address,
            "addressLocality": precinct.city,
            "addressRegion": precinct.state,
            "postalCode": precinct.postal_code,
            "addressCountry": "US",
        },
        "parentOrganization": {
            "@type": "GovernmentOrganization",
            "name": gettext("Birmingham Police Department"),
        },
    }
    if precinct.email:
        data["email"] = precinct.email
    if precinct.latitude is not None and precinct.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(precinct.latitude),
            "longitude": float(precinct.longitude),
        }
    return data


def json_ld(data: dict) -> SafeString:
    """The data for a <script type="application/ld+json"> block (never executed)."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(SCRIPT_SAFE))  # noqa: S308
