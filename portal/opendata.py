"""The portal's machine-readable catalogues: `/data.json` (DCAT-US 1.1, Project Open Data) and
`/safety-plan/openapi.json` (OpenAPI 3.1 of every JSON the site serves). The tracker's part of
each comes from `recommendations.opendata`, which reads the one definition of the files."""

from django.conf import settings
from django.urls import reverse

from portal.models import SiteSettings
from recommendations import opendata

POD_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
PUBLISHER = {
    "@type": "org:Organization",
    "name": "Community Outreach and Public Education (COPE) Division",
    "subOrganizationOf": {"@type": "org:Organization", "name": "Birmingham Police Department"},
}


def contact_point() -> dict:
    """COPE as the catalogue's contact: its email address once staff have entered it (the
    source documents' one is cut off); the schema takes a bare "mailto:" until then."""
    email = SiteSettings.current().email
    return {
        "@type": "vcard:Contact",
        "fn": "COPE, Birmingham Police Department",
        "hasEmail": f"mailto:{email}",
    }


def catalog() -> dict:
    return {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": settings.SITE_URL + reverse("data_json"),
        "@type": "dcat:Catalog",
        "conformsTo": POD_SCHEMA,
        "describedBy": POD_SCHEMA + "/catalog.json",
        "dataset": opendata.pod_datasets(publisher=PUBLISHER, contact_point=contact_point()),
    }


def json_document(description: str, required: list[str]) -> dict:
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": {"type": "object", "required": required},
            }
        },
    }


def openapi() -> dict:
    """OpenAPI 3.1 of the public JSON (and the CSV beside it): the downloads, the catalogues,
    this document and the health check."""
    paths, schemas = opendata.openapi_parts()
    paths[reverse("files:datapackage")] = {
        "get": {
            "operationId": "datapackage",
            "summary": "The Frictionless Data Package of the CSV files (a Table Schema each)",
            "responses": {"200": json_document("The Data Package", ["resources"])},
        }
    }
    paths[reverse("data_json")] = {
        "get": {
            "operationId": "data_json",
            "summary": "The DCAT-US 1.1 (Project Open Data) catalogue of the portal's data sets",
            "responses": {"200": json_document("The catalogue", ["conformsTo", "dataset"])},
        }
    }
    paths[reverse("files:openapi")] = {
        "get": {
            "operationId": "openapi",
            "summary": "This description",
            "responses": {"200": json_document("This OpenAPI document", ["openapi", "paths"])},
        }
    }
    state = {"type": "string", "enum": ["ok", "unavailable"]}
    health = {
        "type": "object",
        "properties": {"status": state, "database": state, "cache": state},
        "required": ["status", "database", "cache"],
        "additionalProperties": False,
    }
    paths[reverse("healthz")] = {
        "get": {
            "operationId": "healthz",
            "summary": "Whether the database and the cache answer (never cached)",
            "responses": {
                status: {
                    "description": description,
                    "content": {"application/json": {"schema": health}},
                }
                for status, description in [
                    ("200", "Both answer"),
                    ("503", "One of them does not answer"),
                ]
            },
        }
    }
    info = {
        "title": "COPE portal open data",
        "version": "1.0",
        "summary": "The safety-plan tracker's downloads and the portal's public JSON",
        "description": f"What each column holds: {opendata.page_url()}",
    }
    if chosen := opendata.licence():
        info["license"] = {"name": chosen["name"], "url": chosen["url"]}
    return {
        "openapi": "3.1.0",
        "info": info,
        "servers": [{"url": settings.SITE_URL}],
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": schemas},
    }
