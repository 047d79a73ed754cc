"""The holes an outside black-box test found (issue 24), each pinned where a person meets it."""

import os
import re
import socket
from pathlib import Path

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils import translation
from factories import StatusUpdateFactory

from recommendations.models import Recommendation, Status
from tools.servers import prepare_database, start_gunicorn, stop

BASE_DIR = Path(__file__).resolve().parents[2]
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufdd0-\ufdef\ufffe\uffff]")
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "portal.cache.ForgivingRedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}
PLAN_DOWNLOADS = [
    "/safety-plan/status-updates.csv",
    "/safety-plan/status-updates.json",
    "/safety-plan/recommendations.csv",
]


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


@pytest.mark.django_db
def test_downloads_include_a_change_recorded_while_the_cache_was_away(
    client, cope_content, settings, django_capture_on_commit_callbacks
):
    for url in PLAN_DOWNLOADS:
        body(client.get(url))  # built, then sent from their files
        assert "Funding approved by the council." not in body(client.get(url))
    working_cache = settings.CACHES

    settings.CACHES = working_cache | UNREACHABLE_REDIS
    with django_capture_on_commit_callbacks(execute=True):
        StatusUpdateFactory(
            recommendation=Recommendation.objects.get(number=20),
            status=Status.COMPLETED,
            note="Funding approved by the council.",
        )
    settings.CACHES = working_cache

    for url in PLAN_DOWNLOADS[:2]:
        assert "Funding approved by the council." in body(client.get(url)), url
    assert "Funding approved by the council." in body(client.get(PLAN_DOWNLOADS[2]))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/follow/manage/%00/",
        "/follow/unsubscribe/%00/",
        "/follow/confirm/%00/",
        "/follow/manage/abc%00def/",
        "/es/follow/manage/%00/",
        "/safety-plan/%00/",
        "/precincts/%00/",
        "/news/%00/",
    ],
)
def test_a_nul_in_the_address_is_a_404_that_never_reaches_the_database(client, path):
    """PostgreSQL refuses a NUL in text (a 500): such an address is refused before any query,
    on any backend (SQLite would take the NUL and cut the text there)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)

    assert response.status_code == 404
    assert not queries.captured_queries


def raw_get(url: str, target: str) -> None:
    """A request line sent as written (urllib refuses a CR or LF in an address)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        request = f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        connection.sendall(request.encode())
        while connection.recv(65536):
            pass


def test_the_logs_hold_one_line_per_request_and_no_follow_token(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    } | {"VAR_DIR": str(tmp_path), "STATIC_ROOT": str(BASE_DIR / "var" / "static")}
    prepare_database(env)
    access, errors = tmp_path / "access.log", tmp_path / "errors.log"
    with errors.open("wb") as error_log:
        server, url = start_gunicorn(env, extra=("--access-logfile", str(access)), log=error_log)
        try:
            for target in [
                "/follow/manage/victim%0d%0aFORGED-LINE/",
                "/news/x%0d%0aFORGED-LINE%00/",
                "/follow/manage/a%00b/",
                "/follow/manage/Xq7SECRETmanageTOKENz/",
                "/es/follow/unsubscribe/Yw2SECRETunsubscribeTOKENk/",
                "/follow/confirm/MTI:1vSECRETconfirm:TOKENabc/",
            ]:
                raw_get(url, target)
            raw_get(url, "/healthz")  # the last line: everything before it is written
        finally:
            stop(server)

    logged = access.read_text()
    lines = logged.splitlines()
    assert len(lines) == 8 and all(line.startswith("[") for line in lines), logged  # + start
    assert "\x00" not in logged and "/news/x\\r\\nFORGED-LINE\\x00/" in logged
    warnings = errors.read_text()
    assert "Not Found" in warnings and "/follow/manage/" in warnings
    for log in (logged, warnings):
        assert "SECRET" not in log and "victim" not in log
        assert not [line for line in log.splitlines() if line.startswith("FORGED")]


@pytest.mark.django_db
def test_an_imported_report_note_loses_its_control_characters(client, cope_content):
    from datetime import date

    from recommendations.services import apply_status_report

    report = "number,status,progress note\n13,IN PROGRESS,Begun\x01 in\x7f March\u2028\ufffe.\n"
    apply_status_report(data=report.encode(), report_date=date(2026, 3, 2))

    page = client.get("/safety-plan/13/").text
    assert "Begun in March." in page
    assert not CONTROL.search(page.replace("\n", "").replace("\r", "").replace("\t", ""))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/staff/autocomplete/?app_label=events&model_name=event&field_name=precinct&term=%00",
        "/staff/programs/program/?q=%00",
        "/staff/programs/program/?_to_field=signups&_popup=1",
        "/staff/programs/program/?_to_field=nothing&_popup=1",
        "/staff/auth/user/?_to_field=groups&_popup=1",
    ],
)
def test_staff_addresses_a_database_or_django_cannot_take_are_400s(client, cope_content, path):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("it", password="x" * 16))

    assert client.get(path).status_code == 400


@pytest.mark.django_db
def test_a_popup_picking_a_real_column_still_opens(client, cope_content):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("it", password="x" * 16))

    assert client.get("/staff/programs/program/?_to_field=id&_popup=1").status_code == 200


# Values for the addresses that take one; a new address with a parameter must be added here.
SAMPLE_ARGUMENTS = {
    "files:event_ics": {"slug": "no-such-event"},
    "events:event_ics": {"slug": "no-such-event"},
    "files:precinct_vcard": {"slug": "west"},
    "programs:detail": {"slug": "chaplain-program"},
    "precincts:detail": {"slug": "west"},
    "recommendations:detail": {"number": 13},
    "recommendations:history": {"number": 13},
    "recommendations:recommendation_feed": {"number": 13},
    "events:detail": {"slug": "no-such-event"},
    "events:news_detail": {"slug": "no-such-post"},
    "follow:confirm": {"token": "no-such-token"},
    "follow:manage": {"token": "no-such-token"},
    "follow:unsubscribe": {"token": "no-such-token"},
    "ask:speaker": {"slug": "speaking-engagements"},
    "ask:walk": {"slug": "west"},
    "ask:register": {"slug": "no-such-event"},
    "ask:cancel_registration": {"token": "no-such-token"},
}


def named_patterns(patterns, namespace=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            yield from named_patterns(pattern.url_patterns, inner)
        elif pattern.name:
            yield ":".join((*namespace, pattern.name)), pattern


def public_addresses() -> list[str]:
    """Every address of the URL list but the staff admin's, in both languages."""
    addresses = set()
    for name, pattern in named_patterns(get_resolver().url_patterns):
        if name.startswith("admin:"):
            continue
        kwargs = SAMPLE_ARGUMENTS.get(name, {})
        assert set(kwargs) == set(pattern.pattern.converters), f"SAMPLE_ARGUMENTS lacks {name}"
        for language in ("en", "es"):
            with translation.override(language):
                addresses.add(reverse(name, kwargs=kwargs))
    return sorted(addresses)


@pytest.mark.django_db
@pytest.mark.parametrize("cache_seconds", [0, 600])
def test_head_works_on_every_address_that_answers_get(
    client, cope_content, settings, cache_seconds
):
    settings.PAGE_CACHE_SECONDS = cache_seconds
    addresses = public_addresses()
    assert {"/follow/", "/es/follow/", "/follow/manage/no-such-token/"} <= set(addresses)

    answers = {url: (client.head(url), client.get(url)) for url in addresses}

    assert {
        url: (head.status_code, get.status_code)
        for url, (head, get) in answers.items()
        if head.status_code != get.status_code or head.getvalue()
    } == {}


def deploy_check_ids() -> set[str]:
    from django.core import checks

    return {
        message.id
        for message in checks.run_checks(
            include_deployment_checks=True, tags=[checks.Tags.security]
        )
    }


@pytest.mark.parametrize(
    ("https", "proxy_header", "proxies", "warned"),
    [
        (True, ("HTTP_X_FORWARDED_PROTO", "https"), 0, True),
        (True, ("HTTP_X_FORWARDED_PROTO", "https"), 1, False),
        (True, None, 0, False),  # no proxy: the socket's address is the visitor's
        (False, ("HTTP_X_FORWARDED_PROTO", "https"), 0, False),
    ],
)
def test_check_deploy_warns_of_https_behind_a_proxy_with_no_trusted_proxy(
    settings, https, proxy_header, proxies, warned
):
    settings.HTTPS, settings.TRUSTED_PROXY_COUNT = https, proxies
    settings.SECURE_PROXY_SSL_HEADER = proxy_header
    settings.DEFAULT_FROM_EMAIL = "COPE <noreply@cope.example.gov>"

    assert ("portal.W001" in deploy_check_ids()) is warned


@pytest.mark.parametrize(
    ("sender", "refused"),
    [
        ("COPE <noreply@localhost>", True),
        ("noreply@LOCALHOST", True),
        ("COPE <noreply@portal.localhost>", True),
        ("COPE <noreply@cope.example.gov>", False),
    ],
)
def test_check_deploy_refuses_a_sender_at_localhost(settings, sender, refused):
    settings.DEFAULT_FROM_EMAIL = sender

    assert ("portal.E001" in deploy_check_ids()) is refused
