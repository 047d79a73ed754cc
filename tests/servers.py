"""Real gunicorn servers for tests that need separate processes (outages, shared caches)."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(address) -> bool:
    try:
        socket.create_connection(address, timeout=1).close()
    except OSError:
        return False
    return True


def prepare_database(env: dict) -> None:
    """Migrate and load the COPE content into the database `env` names."""
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=BASE_DIR, check=True)
    subprocess.run(
        [*manage, "load_cope_content"], env=env, cwd=BASE_DIR, check=True, capture_output=True
    )


def start_gunicorn(env: dict) -> tuple[subprocess.Popen, str]:
    """gunicorn with one worker on a free port, once /healthz answers: (process, base URL)."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "30",
        ],
        env=env,
        cwd=BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=5)
            break
        except urllib.error.HTTPError:
            break  # it answers (503 while a service is away is still an answer)
        except OSError:
            time.sleep(0.1)
    return server, url


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(10)
