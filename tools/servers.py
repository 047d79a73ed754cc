"""Real gunicorn servers on loopback: for tests that need separate processes, and `make bench`."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


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


def fetch(url: str, headers=None, timeout: float = 30) -> tuple[int, dict, bytes]:
    """GET a loopback URL: (status, headers, body); an HTTP error status is an answer too."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback only)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def manage(env: dict, *arguments: str) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, str(BASE_DIR / "manage.py"), *arguments],
        env=env,
        cwd=BASE_DIR,
        check=True,
        capture_output=True,
    )


def prepare_database(env: dict) -> None:
    """Migrate and load the COPE content into the database `env` names."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_cope_content")


def start_gunicorn(
    env: dict, *, workers: int = 1, extra: tuple[str, ...] = (), log=None
) -> tuple[subprocess.Popen, str]:
    """gunicorn on a free port, once /healthz answers at all: (process, base URL)."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            GUNICORN,
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "30",
            *extra,
        ],
        env=env,
        cwd=BASE_DIR,
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            fetch(url + "/healthz", timeout=5)
            break  # it answers (503 while a service is away is still an answer)
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.1)
    return server, url


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(30)
