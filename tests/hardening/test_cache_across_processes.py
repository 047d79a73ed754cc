"""Issue 9: two server processes share Redis; a change made through one shows at once on the
other, although both serve pages from the shared cache."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=20) as response:
        return response.read().decode(), response.headers.get("X-Cache")


@pytest.fixture
def two_servers(tmp_path):
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
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
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=BASE_DIR, check=True)
    subprocess.run(
        [*manage, "load_cope_content"], env=env, cwd=BASE_DIR, check=True, capture_output=True
    )
    subprocess.run(
        [
            *manage,
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
    servers, urls = [], []
    for _ in range(2):
        port = free_port()
        servers.append(
            subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "portal.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                ],
                env=env,
                cwd=BASE_DIR,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    for url in urls:
        for _ in range(100):
            try:
                fetch(url + "/healthz")
                break
            except OSError:
                time.sleep(0.1)
    yield urls
    for server in servers:
        server.terminate()
        server.wait(10)


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
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    body, cache = fetch(second + "/safety-plan/13/")
    assert cache == "miss" and "Fellowship pilot approved." in body
