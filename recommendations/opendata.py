"""What the tracker's downloads are, for people and for programs: the data page's dictionary,
the Frictionless Data Package, the catalogue entries of data.json, the OpenAPI schemas of the
JSON files and the schema.org Dataset of the data page, all read from the columns of
`exports` (the one definition of the files), so none can say what the files do not hold.

Machine-readable documents are English whatever the language of the request, as the files are.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core import schema_org
from recommendations import exports
from recommendations.exports import Column
from recommendations.models import StatusUpdate

PUBLISHER = "Birmingham Police Department, Community Outreach and Public Education (COPE) Division"
TITLE = "City of Birmingham public-safety plan: recommendations and their status"
KEYWORDS = ["public safety", "police", "Birmingham, Alabama", "public-safety plan", "COPE"]
SPATIAL = "Birmingham, Alabama"

TYPE_LABELS = {
    "integer": _("whole number"),
    "string": _("text"),
    "boolean": _("True or False"),
    "date": _("date, written YYYY-MM-DD"),
    "datetime": _("date and time with its time zone offset (ISO 8601)"),
}
JSON_TYPES = {
    "integer": {"type": "integer"},
    "string": {"type": "string", "minLength": 1},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
}


@dataclass(frozen=True)
class Download:
    """One table of the tracker, offered as a CSV and a JSON file."""

    name: str  # the files' name, without extension
    key: str  # the JSON file's list of rows
    title: Promise
    description: Promise
    columns: list[Column]
    primary_key: str
    since: bool  # whether ?since= narrows it

    def href(self, extension: str) -> str:
        """The file's path on this site (one address in every language)."""
        return reverse("files:" + self.name.replace("-", "_") + "_" + extension)

    def url(self, extension: str) -> str:
        return settings.SITE_URL + self.href(extension)


DOWNLOADS = [
    Download(
        name="recommendations",
        key="recommendations",
        title=_("Recommendations"),
        description=_(
            "One row per recommendation of the plan (82 in all), with its current status: the "
            "tracker as it stands."
        ),
        columns=exports.RECOMMENDATION_COLUMNS,
        primary_key="number",
        since=False,
    ),
    Download(
        name="status-updates",
        key="status_updates",
        title=_("Status updates"),
        description=_(
            "The whole public history: one row per status update, oldest first for each "
            "recommendation, retracted ones included with when and why."
        ),
        columns=exports.STATUS_UPDATE_COLUMNS,
        primary_key="id",
        since=True,
    ),
]
SINCE_DESCRIPTION = (
    "A day written YYYY-MM-DD: the file then holds only the status updates recorded or "
    "retracted from the start of that day (Birmingham time) on, the city's undated first "
    "report excluded. Any other value is answered 400 with a message saying how to write it."
)


def licence() -> dict | None:
    """{"name", "url"} of the licence the city chose (settings.OPEN_DATA_LICENSE), or None
    while it has not decided: then no document claims one."""
    return getattr(settings, "OPEN_DATA_LICENSE", None) or None


def last_changed():
    """When the data last changed (an update recorded or retracted), or None before any."""
    times = StatusUpdate.objects.filter(public=True).aggregate(
        recorded=Max("recorded_at"), retracted=Max("retracted_at")
    )
    return max((t for t in times.values() if t), default=None)


def page_url() -> str:
    with translation.override("en"):
        return settings.SITE_URL + reverse("recommendations:data")


def datapackage_url() -> str:
    return settings.SITE_URL + reverse("files:datapackage")


def table_field(column: Column) -> dict:
    field = {"name": column.name, "type": column.type, "description": str(column.description)}
    if column.format:
        field["format"] = column.format
    if column.type == "boolean":  # as Python writes them in the CSV
        field |= {"trueValues": ["True"], "falseValues": ["False"]}
    constraints = {
        "required": column.required,
        "unique": column.unique,
        "minimum": column.minimum,
        "maximum": column.maximum,
        "enum": list(column.allowed_values()),
    }
    constraints = {
        key: value for key, value in constraints.items() if value not in (False, None, [])
    }
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema(download: Download) -> dict:
    """The Frictionless Table Schema of the download's CSV."""
    schema = {
        "fields": [table_field(column) for column in download.columns],
        "primaryKey": [download.primary_key],
        "missingValues": [""],
    }
    if download.name == "status-updates":
        schema["foreignKeys"] = [
            {
                "fields": ["recommendation"],
                "reference": {"resource": "recommendations", "fields": ["number"]},
            }
        ]
    return schema


def datapackage() -> dict:
    """The Frictionless (Tabular) Data Package of the CSV files."""
    with translation.override("en"):
        package = {
            "profile": "tabular-data-package",
            "name": "cope-safety-plan",
            "title": TITLE,
            "description": exports.SOURCE_NOTE,
            "homepage": page_url(),
            "keywords": KEYWORDS,
            "contributors": [{"title": PUBLISHER, "role": "publisher"}],
            "sources": [
                {"title": "The City of Birmingham's status report on its public-safety plan"}
            ],
            "resources": [
                {
                    "name": download.name,
                    "title": str(download.title),
                    "description": str(download.description),
                    "path": download.url("csv"),
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": table_schema(download),
                }
                for download in DOWNLOADS
            ],
        }
        if chosen := licence():
            package["licenses"] = [{"path": chosen["url"], "title": chosen["name"]}]
    return package


def row_schema(columns: list[Column]) -> dict:
    """The JSON Schema (2020-12, as OpenAPI 3.1 uses) of one row of a JSON download."""
    properties = {}
    for column in columns:
        schema = dict(JSON_TYPES[column.type]) | {"description": str(column.description)}
        if column.format:
            schema["format"] = column.format
        if column.minimum is not None:
            schema["minimum"] = column.minimum
        if column.maximum is not None:
            schema["maximum"] = column.maximum
        if values := column.allowed_values():
            schema["enum"] = list(values) + ([] if column.required else [None])
        if not column.required:
            schema["type"] = [schema["type"], "null"]
        properties[column.name] = schema
    return {
        "type": "object",
        "properties": properties,
        "required": [column.name for column in columns],
        "additionalProperties": False,
    }


def openapi_parts() -> tuple[dict, dict]:
    """(paths, component schemas) of the CSV and JSON downloads, for the portal's OpenAPI."""
    paths, schemas = {}, {}
    with translation.override("en"):
        for download in DOWNLOADS:
            row_name = "".join(part.title() for part in download.key.split("_"))
            schemas[row_name] = row_schema(download.columns)
            schemas[row_name + "File"] = {
                "type": "object",
                "properties": {
                    "source": {"type": "string", "minLength": 1},
                    download.key: {
                        "type": "array",
                        "items": {"$ref": f"#/components/schemas/{row_name}"},
                    },
                },
                "required": ["source", download.key],
                "additionalProperties": False,
            }
            parameters = []
            bad_request = {}
            if download.since:
                parameters = [
                    {
                        "name": "since",
                        "in": "query",
                        "required": False,
                        "description": SINCE_DESCRIPTION,
                        "schema": {"type": "string", "format": "date"},
                    }
                ]
                bad_request = {
                    "400": {
                        "description": "The since parameter is not a date written YYYY-MM-DD.",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    }
                }
            for extension, content in [
                (
                    "json",
                    {
                        "application/json": {
                            "schema": {"$ref": f"#/components/schemas/{row_name}File"}
                        }
                    },
                ),
                ("csv", {"text/csv": {"schema": {"type": "string"}}}),
            ]:
                paths[download.href(extension)] = {
                    "get": {
                        "operationId": f"{download.key}_{extension}",
                        "summary": f"{download.title} ({extension.upper()})",
                        "description": f"{download.description} The columns are described at "
                        f"{page_url()} and, for the CSV, in {datapackage_url()}.",
                        "parameters": parameters,
                        "responses": {
                            "200": {"description": str(download.title), "content": content},
                            "304": {
                                "description": "Not changed since the ETag (If-None-Match) or "
                                "date (If-Modified-Since) the request sent back"
                            },
                            **bad_request,
                            "429": {
                                "description": "This client was sent "
                                f"{settings.DOWNLOAD_MB_PER_MINUTE} MB of these files in the "
                                "last minute: ask again after Retry-After seconds (a request "
                                "with If-None-Match costs nothing)"
                            },
                            "503": {
                                "description": "The file is being built and took too long: "
                                "ask again after Retry-After seconds"
                            },
                        },
                    }
                }
    return paths, schemas


def pod_datasets(*, publisher: dict, contact_point: dict) -> list[dict]:
    """The tracker's entries in a DCAT-US 1.1 (Project Open Data) catalogue: one dataset per
    table, its CSV and JSON as distributions."""
    modified = last_changed()
    chosen = licence()
    entries = []
    with translation.override("en"):
        for download in DOWNLOADS:
            entry = {
                "@type": "dcat:Dataset",
                "identifier": f"{page_url()}#{download.name}",
                "title": f"City of Birmingham public-safety plan: {str(download.title).lower()}",
                "description": str(download.description),
                "keyword": KEYWORDS,
                "publisher": publisher,
                "contactPoint": contact_point,
                "accessLevel": "public",
                "accrualPeriodicity": "irregular",
                "landingPage": page_url(),
                "describedBy": datapackage_url(),
                "describedByType": "application/json",
                "spatial": SPATIAL,
                "language": ["en-US"],
                "distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "title": f"{download.title} ({extension.upper()})",
                        "downloadURL": download.url(extension),
                        "mediaType": media_type,
                        "format": extension.upper(),
                    }
                    for extension, media_type in [("csv", "text/csv"), ("json", "application/json")]
                ],
            }
            if modified:
                entry["modified"] = modified.date().isoformat()
            if chosen:
                entry["license"] = chosen["url"]
            else:
                entry["rights"] = (
                    "The City of Birmingham has not yet decided the licence of this data."
                )
            entries.append(entry)
    return entries


def schema_org_dataset(*, description: str, modified=None) -> dict:
    """The data page as a schema.org Dataset, for search engines (its words in the page's
    language, its addresses from SITE_URL)."""
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": TITLE,
        "description": description,
        "url": page_url(),
        "keywords": KEYWORDS,
        "isAccessibleForFree": True,
        "inLanguage": "en",
        "spatialCoverage": SPATIAL,
        "creator": schema_org.cope(),
        "publisher": schema_org.cope(),
        "distribution": [
            {
                "@type": "DataDownload",
                "name": f"{download.title} ({extension.upper()})",
                "encodingFormat": media_type,
                "contentUrl": download.url(extension),
            }
            for download in DOWNLOADS
            for extension, media_type in [("csv", "text/csv"), ("json", "application/json")]
        ],
        "variableMeasured": list(
            dict.fromkeys(column.name for download in DOWNLOADS for column in download.columns)
        ),
    }
    if modified:
        data["dateModified"] = modified.date().isoformat()
    if chosen := licence():
        data["license"] = chosen["url"]
    return data
