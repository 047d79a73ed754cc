"""Issue 9: two server processes share Redis; a change made through one shows at once on the
other, although both serve pages from the shared cache."""

import os
import subprocess
import sys
import urllib.request

import pytest
from playwright.sync_api import expect

from tools.servers import BASE_DIR, answers, prepare_database, start_gunicorn, stop

pytestmark = pytest.mark.browser


def fetch(url):
    with urllib.request.urlopen(url, timeout=20) as response:
        return response.read().decode(), response.headers.get("X-Cache")


@pytest.fixture
def two_servers(tmp_path):
    if not answers(("127.0.0.1", 6379)):
        pytest.skip("needs Redis on 127.0.0.1:6379")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    } | {
        "VAR_DIR": str(tmp_path),
        "STATIC_ROOT": str(BASE_DIR / "var" / "static"),
        "REDIS_URL": "redis://127.0.0.1:6379/4",
        "CACHE_KEY_PREFIX": f"two-servers-{os.getpid()}",
        "PAGE_CACHE_SECONDS": "600",
    }
    prepare_database(env)
    subprocess.run(
        [
            sys.executable,
            str(BASE_DIR / "manage.py"),
            "shell",
            "--no-imports",
            "-c",
            "from django.contrib.auth.models import User; "
            "User.objects.create_superuser('it', password='a long passphrase 42')",
        ],
        env=env,
        cwd=BASE_DIR,
        check=True,
    )
    servers = [start_gunicorn(env) for _ in range(2)]
    yield [url for _, url in servers]
    for server, _ in servers:
        stop(server)


def test_a_status_update_through_one_server_shows_at_once_on_the_other(two_servers, page):
    first, second = two_servers
    fetch(second + "/safety-plan/13/")
    body, cache = fetch(second + "/safety-plan/13/")
    assert cache == "hit" and "Fellowship pilot approved." not in body

    page.goto(first + "/staff/login/")
    page.get_by_label("Username").fill("it")
    page.get_by_label("Password").fill("a long passphrase 42")
    page.get_by_role("button", name="Log in").click()
    page.goto(first + "/staff/recommendations/recommendation/?q=13")
    page.get_by_role("link", name="13", exact=True).click()
    page.locator("#id_updates-1-status").select_option(label="In planning")
    page.locator("#id_updates-1-note").fill("Fellowship pilot approved.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    body, cache = fetch(second + "/safety-plan/13/")
    assert cache == "miss" and "Fellowship pilot approved." in body
