"""Smaller holes: HEAD, the autocomplete endpoint, logs without personal data, check --deploy."""

import io
import logging
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from portal.roles import COORDINATOR
from tools.servers import free_port, prepare_database, stop

BASE_DIR = Path(__file__).resolve().parents[2]
PUBLIC_PAGES = [
    "/",
    "/programs/",
    "/programs/chaplain-program/",
    "/precincts/",
    "/precincts/west/",
    "/precincts/west.vcf",
    "/precincts/find/?q=35207",
    "/safety-plan/",
    "/safety-plan/13/",
    "/safety-plan/recommendations.csv",
    "/safety-plan/recommendations.json",
    "/safety-plan/feed/",
    "/events/",
    "/events/calendar.ics",
    "/news/",
    "/volunteer/",
    "/privacy/",
    "/accessibility/",
    "/healthz",
]


@pytest.mark.django_db
@pytest.mark.parametrize("cache_seconds", [0, 600])
def test_head_answers_like_get_without_a_body(client, cope_content, settings, cache_seconds):
    settings.PAGE_CACHE_SECONDS = cache_seconds
    for path in PUBLIC_PAGES:
        for _ in range(2):  # a miss, then (with the page cache) a hit
            head = client.head(path)
            get = client.get(path)

            assert head.status_code == get.status_code, path
            assert head.getvalue() == b"", path
            assert head["Content-Type"] == get["Content-Type"], path
            if get.status_code == 200 and not get.streaming:
                assert int(head["Content-Length"]) == len(get.getvalue()), path


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "superuser"])
@pytest.mark.parametrize(
    "query",
    [
        "app_label=programs&model_name=program&field_name=signups",
        "app_label=programs&model_name=program&field_name=kind",
        "app_label=programs&model_name=volunteersignup&field_name=changes",
        "app_label=programs&model_name=program&field_name=nothing",
    ],
)
def test_autocomplete_on_any_field_never_answers_500(client, cope_content, role, query):
    if role == "superuser":
        user = User.objects.create_superuser("it", password="x" * 16)
    else:
        user = User.objects.create_user("coord", password="x" * 16, is_staff=True)
        user.groups.add(Group.objects.get(name=COORDINATOR))
    client.force_login(user)

    response = client.get(f"/staff/autocomplete/?{query}&term=kim")

    assert response.status_code in {400, 403, 404}
    assert "kim@" not in response.text


def test_django_logs_hold_no_query_strings():
    """Django's development server logs each request line; so do 4xx and 5xx warnings."""
    handler = logging.getLogger("django.server").handlers[0]
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        logging.getLogger("django.server").info(
            '"%s" %s %s',
            "GET /staff/programs/volunteersignup/?q=kim%40example.org&p=2055550142 HTTP/1.1",
            "200",
            "5120",
        )
    finally:
        handler.setStream(old)

    logged = stream.getvalue()
    assert "/staff/programs/volunteersignup/" in logged
    assert "kim" not in logged and "2055550142" not in logged


def test_gunicorns_access_log_holds_no_personal_data(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    } | {"VAR_DIR": str(tmp_path), "STATIC_ROOT": str(BASE_DIR / "var" / "static")}
    prepare_database(env)
    port, log = free_port(), tmp_path / "access.log"
    server = subprocess.Popen(  # as `make run` starts it, from the project's folder
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(log),
        ],
        env=env,
        cwd=BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    searches = [
        "/staff/programs/volunteersignup/?q=kim.park%40example.org",
        "/staff/programs/volunteersignup/?q=2055550142",
        "/precincts/find/?q=1600+Main+Street",
    ]
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=5)
                break
            except OSError:
                time.sleep(0.1)
        for path in searches:
            request = urllib.request.Request(
                url + path,
                headers={"Referer": url + path, "User-Agent": "kim.park@example.org"},
            )
            try:
                urllib.request.urlopen(request, timeout=10)
            except urllib.error.HTTPError:
                pass
        time.sleep(0.5)
    finally:
        stop(server)

    logged = log.read_text()
    assert "/staff/programs/volunteersignup/" in logged and "/precincts/find/" in logged
    for secret in ("kim", "example.org", "2055550142", "Main", "127.0.0.1"):
        assert secret not in logged


def readme_production_variables() -> list[str]:
    readme = (BASE_DIR / "README.md").read_text()
    paragraph = re.search(r"Production variables \(set at least these\):(.+?)\n\n", readme, re.S)
    assert paragraph, "the README lists the production variables"
    return re.findall(r"`([A-Z_]+)(?:=[^`]*)?`", paragraph.group(1).split("With them")[0])


def test_check_deploy_passes_with_the_production_variables_the_readme_lists(tmp_path):
    examples = {
        "SECRET_KEY": "x7-" + "k2Lq9vR4tZ8mW1pN6sY3bF5hJ0cD" * 2,
        "ALLOWED_HOSTS": "cope.example.gov",
        "CSRF_TRUSTED_ORIGINS": "https://cope.example.gov",
        "DATABASE_URL": "postgres://cope:secret@db.example.gov:5432/cope",
        "REDIS_URL": "redis://cache.example.gov:6379/0",
        "HTTPS": "on",
        "PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "TRUSTED_PROXY_COUNT": "1",
        "EMAIL_HOST": "smtp.example.gov",
        "DEFAULT_FROM_EMAIL": "COPE <noreply@cope.example.gov>",
        "SITE_URL": "https://cope.example.gov",
        "OPEN_DATA_LICENSE": "Example Open Licence 1.0 https://licences.example.org/open/1.0/",
    }
    listed = readme_production_variables()
    assert set(listed) <= set(examples), "give the new variable an example value here"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in examples and k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env |= {"VAR_DIR": str(tmp_path)} | {name: examples[name] for name in listed}

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
