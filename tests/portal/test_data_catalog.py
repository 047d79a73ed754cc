"""The portal's catalogues checked by independent validators: /data.json against the published
Project Open Data 1.1 JSON schema (jsonschema), /safety-plan/openapi.json by schemathesis, which
calls every operation it describes and checks each answer against it."""

import json
from pathlib import Path

import hypothesis
import jsonschema
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from schemathesis.specs.openapi.definitions import OPENAPI_31

from portal.models import SiteSettings
from recommendations.models import Recommendation, Status
from recommendations.services import record_status_update

pytestmark = pytest.mark.django_db

POD_SCHEMA = Path(__file__).parent / "pod_schema_v1_1"
POD_URL = "https://project-open-data.cio.gov/v1.1/schema/"
FEDERAL_ONLY = {"bureauCode", "programCode"}  # OMB codes, required of federal agencies only


def pod_validator(*, federal_only_lifted=True) -> jsonschema.Draft4Validator:
    schemas = {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in POD_SCHEMA.glob("*.json")
    }
    if federal_only_lifted:
        dataset = schemas["dataset.json"]
        dataset["required"] = [name for name in dataset["required"] if name not in FEDERAL_ONLY]
    registry = Registry().with_resources(
        (POD_URL + name, Resource.from_contents(schema, default_specification=DRAFT4))
        for name, schema in schemas.items()
    )
    return jsonschema.Draft4Validator(
        schemas["catalog.json"],
        registry=registry,
        format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER,
    )


def test_data_json_is_a_valid_project_open_data_catalogue(client, cope_content):
    catalog = client.get("/data.json").json()

    errors = [f"{list(e.absolute_path)}: {e.message}" for e in pod_validator().iter_errors(catalog)]
    assert errors == []
    federal = pod_validator(federal_only_lifted=False).iter_errors(catalog)
    assert {e.message.split("'")[1] for e in federal for e in e.context or [e]} <= FEDERAL_ONLY
    assert [d["identifier"].rsplit("#", 1)[1] for d in catalog["dataset"]] == [
        "recommendations",
        "status-updates",
    ]
    for dataset in catalog["dataset"]:
        assert dataset["modified"] and dataset["accrualPeriodicity"] == "irregular"
        assert "license" not in dataset and "not yet decided" in dataset["rights"]
        for distribution in dataset["distribution"]:
            path = distribution["downloadURL"].removeprefix("http://testserver")
            response = client.get(path)
            assert response.status_code == 200
            assert response["Content-Type"].startswith(distribution["mediaType"])


def test_data_json_names_the_licence_and_the_email_once_set(client, cope_content, settings):
    settings.OPEN_DATA_LICENSE = {"name": "Example", "url": "https://licences.example.org/1.0/"}
    contact = SiteSettings.current()
    contact.email = "cope@example.gov"
    contact.save()

    catalog = client.get("/data.json").json()

    assert list(pod_validator().iter_errors(catalog)) == []
    assert {d["license"] for d in catalog["dataset"]} == {"https://licences.example.org/1.0/"}
    assert catalog["dataset"][0]["contactPoint"]["hasEmail"] == "mailto:cope@example.gov"


def test_a_catalogue_missing_a_field_fails_the_schema(client, cope_content):
    catalog = client.get("/data.json").json()
    del catalog["dataset"][0]["publisher"]

    assert not pod_validator().is_valid(catalog)


def test_openapi_describes_every_json_the_site_serves_and_each_answer_keeps_to_it(
    client, cope_content
):
    document = client.get("/safety-plan/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    # The OpenAPI Initiative's JSON schema of 3.1 documents (as schemathesis ships it), and
    # every schema in it valid JSON Schema 2020-12, the dialect 3.1 uses.
    jsonschema.Draft202012Validator(OPENAPI_31).validate(document)
    for schema in document["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)
    assert {
        "/safety-plan/recommendations.json",
        "/safety-plan/status-updates.json",
        "/safety-plan/datapackage.json",
        "/safety-plan/openapi.json",
        "/data.json",
        "/healthz",
    } <= set(document["paths"])

    # Called through Django's WSGI handler, whose request_finished would close the database
    # connection in the middle of the test's transaction (PostgreSQL): the test client detaches
    # close_old_connections the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        checked = run_schemathesis()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    # every operation but the document's own address, which schemathesis loaded it from
    assert sorted(checked) == sorted(
        f"GET {path}" for path in document["paths"] if path != "/safety-plan/openapi.json"
    )


def run_schemathesis() -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/safety-plan/openapi.json", WSGIHandler())
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @hypothesis.settings(
            max_examples=3,
            deadline=None,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
        @hypothesis.given(case=operation.as_strategy())
        def call(case):
            # the WSGI client does not undo gzip, which the downloads send when asked
            case.call_and_validate(headers={"Accept-Encoding": "identity"})

        call()
        checked.append(operation.label)
    return checked


@pytest.mark.parametrize(
    "path", ["/data.json", "/safety-plan/openapi.json", "/safety-plan/datapackage.json"]
)
def test_catalogues_are_cached_like_pages_and_follow_a_change(
    client, cope_content, settings, editor, path, django_capture_on_commit_callbacks
):
    from portal.pagecache import generation

    settings.PAGE_CACHE_SECONDS = 600
    generation()  # the cache was emptied: this process learns the new generation first
    first = client.get(path)

    assert client.get(path)["X-Cache"] == "hit"
    assert first["Content-Type"] == "application/json"
    if path != "/safety-plan/openapi.json":  # it holds nothing staff change
        with django_capture_on_commit_callbacks(execute=True):
            record_status_update(
                recommendation=Recommendation.objects.get(number=38),
                status=Status.COMPLETED,
                note="Done.",
                author=editor,
            )
        assert client.get(path)["X-Cache"] != "hit"
