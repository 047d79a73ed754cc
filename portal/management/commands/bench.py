"""`make bench`: the portal as in production under load, against a static file as the yardstick.

Starts gunicorn (DEBUG off, the shared cache) on a free loopback port with its own database,
warms it, and runs wrk on each page in one run. Absolute figures drift between machines, so
each page is also reported as a ratio of the static file's requests per second.
"""

import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management.base import BaseCommand, CommandError

DURATION = os.environ.get("BENCH_DURATION", "5s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "50")
POST_LUA = """
wrk.method = "POST"
wrk.body = "{body}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "csrftoken={cookie}"
wrk.headers["Referer"] = "{origin}/volunteer/"
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, headers=None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback only)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, dict(response.headers), response.read()


def parse_wrk(output: str) -> dict:
    def number(pattern, default=0.0):
        match = re.search(pattern, output)
        return float(match.group(1)) if match else default

    def millis(label):
        match = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", output)
        if not match:
            return None
        value, unit = float(match.group(1)), match.group(2)
        return round(value * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)

    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    return {
        "requests_per_second": number(r"Requests/sec:\s+([\d.]+)"),
        "p50_ms": millis("50%"),
        "p99_ms": millis("99%"),
        "errors": int(number(r"Non-2xx or 3xx responses:\s+(\d+)")) + socket_errors,
    }


class Server:
    """gunicorn as `make run` starts it, on a free port, with the given environment."""

    def __init__(self, env: dict, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            os.environ.get("WORKERS", "2"),
            "--timeout",
            "30",
            "--keep-alive",
            "5",
            "--backlog",
            "2048",
        ]
        self.process = subprocess.Popen(  # noqa: S603
            command, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT
        )
        for _ in range(100):
            try:
                if fetch(self.url + "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise CommandError(f"gunicorn did not start; see {log}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


class Command(BaseCommand):
    help = "Measure the portal under load with wrk (loopback only); see the README's table."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.VAR_DIR / "bench.json"))

    def handle(self, *args, output, **options):
        wrk = shutil.which("wrk")
        if not wrk:
            raise CommandError("wrk is not installed: apt-get install -y wrk")
        workdir = Path(tempfile.mkdtemp(prefix="cope-bench-", dir=settings.VAR_DIR))
        try:
            self.run_bench(wrk, workdir, output)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    def run_bench(self, wrk, workdir, output):
        env = self.environment(workdir)
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        for step in (["migrate", "--noinput", "-v0"], ["load_cope_content"]):
            subprocess.run([*manage, *step], env=env, check=True, capture_output=True)  # noqa: S603
        log = workdir / "gunicorn.log"
        started = time.monotonic()

        server = Server(env, log)
        try:
            targets = self.targets(server.url)
            for target in targets:  # warm: every page once, so the cache holds it
                fetch(server.url + target["path"], target.get("headers"))
            results = [self.measure(wrk, server.url, t, workdir) for t in targets]
            surge = self.measure(
                wrk,
                server.url,
                {"name": "/safety-plan/ surge (200 connections, 30 s)", "path": "/safety-plan/"},
                workdir,
                connections="200",
                duration="30s",
            )
        finally:
            server.stop()

        uncached_server = Server(env | {"PAGE_CACHE_SECONDS": "0"}, log)
        try:
            uncached = self.measure(
                wrk,
                uncached_server.url,
                {"name": "/safety-plan/ uncached", "path": "/safety-plan/"},
                workdir,
            )
        finally:
            uncached_server.stop()

        reference = results[0]["requests_per_second"] or 1
        for row in [*results, surge, uncached]:
            row["ratio_to_static"] = round(row["requests_per_second"] / reference, 2)
        weights = self.page_weights(env)
        report = {
            "machine": {
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "python": platform.python_version(),
                "database": env.get("DATABASE_URL", "sqlite").split("@")[-1],
                "cache": "redis" if env.get("REDIS_URL") else "file",
                "workers": os.environ.get("WORKERS", "2"),
                "duration": DURATION,
                "connections": CONNECTIONS,
            },
            "results": results,
            "surge": surge,
            "uncached": uncached,
            "pages": weights,
            "seconds": round(time.monotonic() - started),
        }
        Path(output).write_text(json.dumps(report, indent=2))
        self.print_table(report)
        self.stdout.write(f"\nWritten to {output}")

    def environment(self, workdir: Path) -> dict:
        env = dict(os.environ)
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        env |= {"DEBUG": "off", "VAR_DIR": str(workdir), "SIGNUPS_PER_HOUR": "100000000"}
        if env.get("DATABASE_URL"):
            base, _, name = env["DATABASE_URL"].rpartition("/")
            bench_db = f"{name.split('?')[0]}_bench"
            subprocess.run(  # noqa: S603
                [sys.executable, "-c", RECREATE_DATABASE, env["DATABASE_URL"], bench_db],
                check=True,
            )
            env["DATABASE_URL"] = f"{base}/{bench_db}"
        if env.get("REDIS_URL"):
            env["CACHE_KEY_PREFIX"] = "cope-bench"
        env["STATIC_ROOT"] = str(settings.STATIC_ROOT)  # collected already
        return env

    def targets(self, url: str) -> list[dict]:
        manifest = json.loads((Path(settings.STATIC_ROOT) / "staticfiles.json").read_text())
        sizes = {
            name: (Path(settings.STATIC_ROOT) / hashed).stat().st_size
            for name, hashed in manifest["paths"].items()
        }
        reference = min(sizes, key=lambda name: abs(sizes[name] - 20_000))
        _, headers, body = fetch(url + "/volunteer/")
        cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        program = re.search(rb'name="programs" value="(\d+)"', body).group(1).decode()
        form = (
            f"csrfmiddlewaretoken={token}&full_name=Bench+Mark&email=bench%40example.org"
            f"&zip_code=35203&programs={program}&availability=weekends&age_band=18-or-over"
            "&accept_privacy_notice=on&consent_to_contact=on"
        )
        first_program = (
            re.search(rb'href="(/programs/[a-z0-9-]+/)"', fetch(url + "/programs/")[2])
            .group(1)
            .decode()
        )
        targets = [
            {
                "name": f"static file ({reference}, {sizes[reference] // 1024} KB)",
                "path": staticfiles_storage.url(reference),
            },
            {"name": "/", "path": "/"},
            {"name": "/programs/", "path": "/programs/"},
            {"name": "a program page", "path": first_program},
            {"name": "/precincts/", "path": "/precincts/"},
            {"name": "finder query", "path": "/precincts/find/?q=35207"},
            {"name": "/safety-plan/", "path": "/safety-plan/"},
            {"name": "filtered tracker", "path": "/safety-plan/?status=in-progress&q=BPD"},
            {
                "name": "tracker htmx partial",
                "path": "/safety-plan/?status=in-progress",
                "headers": {"HX-Request": "true"},
            },
            {"name": "a recommendation page", "path": "/safety-plan/38/"},
            {"name": "recommendations.csv", "path": "/safety-plan/recommendations.csv"},
            {"name": "recommendations.json", "path": "/safety-plan/recommendations.json"},
            {
                "name": "volunteer sign-up POST",
                "path": "/volunteer/",
                "lua": POST_LUA.format(body=form, cookie=cookie, origin=url),
            },
        ]
        available = []
        for target in targets:
            try:
                status = 200 if "lua" in target else fetch(url + target["path"])[0]
            except OSError:
                status = 404
            if status == 200:
                available.append(target)
            else:
                self.stderr.write(f"skipped {target['name']}: {target['path']} answers {status}")
        return available

    def measure(self, wrk, url, target, workdir, connections=CONNECTIONS, duration=DURATION):
        command = [wrk, "-t2", f"-c{connections}", f"-d{duration}", "--latency"]
        for name, value in target.get("headers", {}).items():
            command += ["-H", f"{name}: {value}"]
        if "lua" in target:
            script = workdir / "post.lua"
            script.write_text(target["lua"])
            command += ["-s", str(script)]
        run = subprocess.run(  # noqa: S603
            [*command, url + target["path"]], capture_output=True, text=True, timeout=120
        )
        return {"name": target["name"], "path": target["path"]} | parse_wrk(run.stdout)

    def page_weights(self, env) -> list[dict]:
        """Queries per page (uncached) and gzip bytes of each page with its CSS and JS."""
        code = PAGE_WEIGHTS
        run = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code],
            env=env | {"PAGE_CACHE_SECONDS": "0", "DJANGO_SETTINGS_MODULE": "portal.settings"},
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
            check=True,
        )
        return json.loads(run.stdout)

    def print_table(self, report):
        self.stdout.write(
            f"{'page':<44} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'×static':>8}"
        )
        for row in [*report["results"], report["surge"], report["uncached"]]:
            self.stdout.write(
                f"{row['name'][:44]:<44} {row['requests_per_second']:>9.0f} "
                f"{row['p50_ms'] or 0:>8.2f} {row['p99_ms'] or 0:>8.2f} {row['errors']:>7} "
                f"{row['ratio_to_static']:>8.2f}"
            )
        self.stdout.write(f"\n{'page':<44} {'queries':>8} {'gzip bytes (page+CSS+JS)':>26}")
        for page in report["pages"]:
            self.stdout.write(f"{page['path'][:44]:<44} {page['queries']:>8} {page['bytes']:>26}")


RECREATE_DATABASE = """
import sys, psycopg
url, name = sys.argv[1], sys.argv[2]
with psycopg.connect(url.rpartition("/")[0] + "/postgres", autocommit=True) as db:
    db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    db.execute(f'CREATE DATABASE "{name}"')
"""

PAGE_WEIGHTS = """
import gzip, json, re
import django
django.setup()
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
settings.ALLOWED_HOSTS = ["*"]
client = Client()
pages = ["/", "/programs/", "/precincts/", "/precincts/find/?q=35207", "/safety-plan/",
         "/safety-plan/38/", "/safety-plan/progress/", "/volunteer/", "/privacy/"]
found = re.findall(r'href="(/programs/[a-z0-9-]+/)"', client.get("/programs/").text)
pages.insert(2, found[0] if found else "/programs/")
rows = []
for path in pages:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    count = len(queries)  # before the next request resets the connection's query log
    if response.status_code != 200:
        continue
    html = response.content
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\\.(?:css|js))"', html)
    total = len(gzip.compress(html))
    for asset in assets:
        total += len(gzip.compress(b"".join(client.get(asset.decode()).streaming_content)))
    rows.append({"path": path, "queries": count, "bytes": total})
print(json.dumps(rows))
"""
