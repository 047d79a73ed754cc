"""Family 8, outages with real services: the database or the cache goes away and comes back.

The portal runs under gunicorn, as in production, reaching PostgreSQL and Redis through a
relay the test can cut and restore, so the outage is real and the server is never restarted.
"""

import contextlib
import os
import re
import socket
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from factories import signup_form

from tools.servers import answers, free_port, prepare_database, start_gunicorn, stop

BASE_DIR = Path(__file__).resolve().parents[2]
POSTGRES = ("127.0.0.1", 5432)
REDIS = ("127.0.0.1", 6379)


class Relay:
    """A TCP relay on a fixed local port to a service; stop() is an outage, start() the return."""

    def __init__(self, target):
        self.target, self.port = target, free_port()
        self.listener, self.sockets = None, []

    def start(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(64)
        threading.Thread(target=self.accept, args=(self.listener,), daemon=True).start()

    def accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
                upstream = socket.create_connection(self.target)
            except OSError:
                return
            self.sockets += [client, upstream]
            for a, b in [(client, upstream), (upstream, client)]:
                threading.Thread(target=self.pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self):
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self.listener.close()
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self.sockets = []


def get(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


@pytest.fixture
def portal_through_relays(tmp_path):
    if not (answers(POSTGRES) and answers(REDIS)):
        pytest.skip("needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379")
    database = f"cope_outage_{os.getpid()}"
    admin_url = f"postgres://postgres@{POSTGRES[0]}:{POSTGRES[1]}/postgres"
    subprocess.run(
        ["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"], check=True
    )
    subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {database}"], check=True)
    pg, redis = Relay(POSTGRES), Relay(REDIS)
    pg.start()
    redis.start()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg.port}/{database}",
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}/3",
        "CACHE_KEY_PREFIX": f"outage-{os.getpid()}",
        "VAR_DIR": str(tmp_path),
        "STATIC_ROOT": str(BASE_DIR / "var" / "static"),
        "PAGE_CACHE_SECONDS": "0",
    }
    prepare_database(env)
    server, url = start_gunicorn(env)
    yield url, pg, redis
    stop(server)
    for relay in (pg, redis):
        try:
            relay.stop()
        except OSError:
            pass
    subprocess.run(["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"])


def test_database_outage_shows_the_503_page_and_recovers_without_restart(portal_through_relays):
    url, pg, _ = portal_through_relays
    assert get(url + "/programs/")[0] == 200

    pg.stop()
    status, body, headers = get(url + "/programs/")
    health_status, health, _ = get(url + "/healthz")

    assert status == 503 and "The portal is briefly unavailable" in body
    assert headers.get("Retry-After") == "120" and "Traceback" not in body
    assert health_status == 503 and '"database": "unavailable"' in health

    pg.start()
    assert get(url + "/programs/")[0] == 200
    assert get(url + "/healthz")[0] == 200


def test_cache_outage_keeps_pages_up_and_signups_accepted(portal_through_relays):
    url, _, redis = portal_through_relays
    redis.stop()

    assert get(url + "/safety-plan/")[0] == 200
    assert get(url + "/healthz")[0] == 503
    status, body, headers = get(url + "/volunteer/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    program = re.search(r'name="programs" value="(\d+)"', body).group(1)
    form = urllib.parse.urlencode(
        signup_form(programs=[program]) | {"csrfmiddlewaretoken": token}, doseq=True
    ).encode()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(
        url + "/volunteer/",
        data=form,
        headers={
            "Cookie": f"csrftoken={cookie}",
            "Referer": url + "/volunteer/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    try:
        response = opener.open(request, timeout=20)
        status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    assert status == 302

    redis.start()
    assert get(url + "/healthz")[0] == 200
