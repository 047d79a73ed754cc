"""A precinct as schema.org PoliceStation data, for search engines and assistants (its names
in the page's language)."""

from django.utils.translation import gettext

from core.schema_org import json_ld  # noqa: F401  (precincts.views reads it from here)


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
