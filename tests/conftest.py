"""Shared fixtures: the COPE content, staff by role, a clean cache, and real Chromium.

The COPE content is loaded once into the test database (`django_db_setup`): a test that asks
for `cope_content` finds it; any other database test starts with the content tables empty.
Rows a test needs beyond the content come from the factories in tests/factories.py.
"""

import os
import shutil
from datetime import datetime
from io import StringIO
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM use there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
VNU_JAR = Path(
    os.environ.get("VNU_JAR", BASE_DIR / "var/node/node_modules/vnu-jar/build/dist/vnu.jar")
)
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def skip_or_fail(reason: str):
    """Without REQUIRE_BROWSER a laptop lacking the tool skips; in CI it is an error."""
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1)")
    pytest.skip(f"{reason}; set REQUIRE_BROWSER=1 to make this an error")


def pytest_configure(config):
    """TEST_TODAY=2027-01-01T05:30:00+00:00 runs the whole suite as if started at that moment,
    the clock ticking on from it (each xdist worker too): how the suite is checked on the first
    of a month before 06:00 UTC, when Birmingham's date is still the month before's last day,
    or in a later year. Tests that freeze the clock themselves travel from there as usual."""
    today = os.environ.get("TEST_TODAY")
    if today:
        import time_machine

        time_machine.travel(datetime.fromisoformat(today), tick=True).start()


XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1"… under `pytest -n`


@pytest.fixture(scope="session", autouse=True)
def own_cache_and_files_per_worker(tmp_path_factory):
    """`make test` runs the tests in parallel processes (pytest-xdist). Each has its own test
    database already; here each also gets its own cache (a Redis database number of its own,
    since clearing the cache flushes a whole Redis database, or its own cache folder) and its
    own var/ folder for built downloads, so no process sees another's rows through them."""
    if not XDIST_WORKER:
        yield
        return
    from urllib.parse import urlsplit, urlunsplit

    from django.conf import settings
    from django.test import override_settings

    index = int(XDIST_WORKER.removeprefix("gw") or 0)
    var_dir = tmp_path_factory.mktemp(f"var-{XDIST_WORKER}")
    cache = dict(settings.CACHES["default"])
    if "Redis" in cache["BACKEND"]:
        url = urlsplit(cache["LOCATION"])
        base = int(url.path.strip("/") or 0)
        cache["LOCATION"] = urlunsplit(url._replace(path=f"/{(base + 1 + index) % 16}"))
    else:
        cache["LOCATION"] = var_dir / "cache"
    with override_settings(CACHES=settings.CACHES | {"default": cache}, VAR_DIR=var_dir):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests sign in many times: a fast hasher keeps that quick (production keeps PBKDF2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    """Views are tested as they render; tests of the page cache turn it back on."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def site_url(settings):
    """The portal's configured address is the test client's, as in production it is the
    address people use; absolute URLs are built from it, never from the Host header."""
    settings.SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def recorded_geocoder(settings):
    """No test reaches the Census geocoder: addresses are answered from recordings."""
    from fake_geocoder import RecordedGeocoder

    settings.GEOCODER = {"BACKEND": "fake_geocoder.RecordedGeocoder", "OPTIONS": {}}
    RecordedGeocoder.sent.clear()
    return RecordedGeocoder


@pytest.fixture(autouse=True)
def clean_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def own_downloads(settings, tmp_path):
    """Built downloads (core.downloads) in the test's own directory: the database is rolled
    back after each test, the files would not be, and a version can come back (so can the
    change log's first day each process keeps per version: forgotten too)."""
    from recommendations import views

    settings.VAR_DIR = tmp_path
    views._first_change_day.clear()


@pytest.fixture(scope="session", autouse=True)
def collected_static(django_db_blocker):
    """Hashed static files, as in production (`make test` has collected them already)."""
    from django.conf import settings
    from django.core.management import call_command

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, with static files served as in production.

    Its own static handler looks files up by their source names, which the hashed names of
    the manifest storage are not; here requests go through the middleware, so WhiteNoise serves
    them with the security headers, exactly as gunicorn does.
    """
    from django.contrib.staticfiles import handlers
    from pytest_django import live_server_helper

    class ThroughWhiteNoise(handlers.StaticFilesHandler):
        def _should_handle(self, path):
            return False

    original = handlers.StaticFilesHandler
    handlers.StaticFilesHandler = ThroughWhiteNoise
    try:
        server = live_server_helper.LiveServer("localhost")
    finally:
        handlers.StaticFilesHandler = original
    yield server
    server.stop()


@pytest.fixture
def redis_away(settings):
    """The shared cache is Redis at an address where nothing answers."""
    settings.CACHES = settings.CACHES | {
        "default": {
            "BACKEND": "portal.cache.ForgivingRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


def load_cope_content():
    from django.core.management import call_command

    call_command("load_cope_content", stdout=StringIO())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, own_cache_and_files_per_worker):
    """The test database, with the COPE content loaded once for the whole run.

    Tests that ask for `cope_content` find it there; each runs in a transaction rolled back
    after it, so a test may change the content freely. Every other test starts without it.
    """
    with django_db_blocker.unblock():
        load_cope_content()
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.all().delete()  # what the load queued: each test starts with none


@pytest.fixture(scope="session")
def content_tables(django_db_setup, django_db_blocker) -> list[str]:
    """The tables `load_cope_content` fills (quoted): those of the apps with a content module."""
    from django.apps import apps
    from django.db import connection
    from django.utils.module_loading import module_has_submodule

    with django_db_blocker.unblock():
        return [
            connection.ops.quote_name(model._meta.db_table)
            for config in apps.get_app_configs()
            if module_has_submodule(config.module, "content")
            for model in config.get_models(include_auto_created=True)
            if model._default_manager.exists()
        ]


@pytest.fixture
def cope_content(db, content_tables):
    """The COPE content from the seeds: loaded once for the run, again only after a
    transactional test (they run last) has flushed the database."""
    from django.db import connection

    exists = [f"EXISTS (SELECT 1 FROM {table})" for table in content_tables]  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + " AND ".join(exists))
        if not cursor.fetchone()[0]:
            load_cope_content()


DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def content_only_when_asked(request):
    """A database test without `cope_content` starts with the content tables empty, as if the
    content were not loaded for the run (they are emptied inside the test's own transaction)."""
    uses_db = request.node.get_closest_marker("django_db") or DB_FIXTURES & set(
        request.fixturenames
    )
    if not uses_db or "cope_content" in request.fixturenames:
        return
    from django.db import connection, transaction

    request.getfixturevalue("db")
    with transaction.atomic(), connection.cursor() as cursor:
        for table in request.getfixturevalue("content_tables"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (table names from the models)


@pytest.fixture
def editor(db):
    """A member of staff in the COPE editor role (username "editor")."""
    from factories import EditorFactory

    return EditorFactory(username="editor")


@pytest.fixture
def coordinator(db):
    """A member of staff in the volunteer coordinator role (username "coordinator")."""
    from factories import CoordinatorFactory

    return CoordinatorFactory(username="coordinator")


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh 320 px wide phone-sized page that records console errors."""
    context = chromium.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture(scope="session")
def vnu():
    """The command that runs the Nu HTML checker, or a skip when it is not installed."""
    java = shutil.which("java")
    if not java:
        skip_or_fail("Java not found, needed by the Nu HTML checker")
    if not VNU_JAR.exists():
        skip_or_fail(f"vnu.jar not found at {VNU_JAR} (npm i --prefix var/node vnu-jar)")
    return [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]


@pytest.fixture
def run_tasks():
    """The task queue's own worker (django-tasks-db's `db_worker --batch`), run here: every
    task that is due, then it stops. Emails are sent by it, never by a request."""
    from tests.taskqueue import run_worker

    return run_worker
