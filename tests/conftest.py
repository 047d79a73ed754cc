"""Shared fixtures: the COPE content, a clean cache, and real Chromium for browser tests."""

import os
import shutil
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
def clean_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.ForgivingRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


@pytest.fixture
def cope_content(db):
    from django.core.management import call_command

    call_command("load_cope_content", stdout=StringIO())


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
