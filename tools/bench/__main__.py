"""`make bench` (`python -m tools.bench`): gunicorn on loopback under wrk, page by page.

Starts gunicorn (DEBUG off, the shared cache) on a free loopback port with its own database,
warms it, and runs wrk on each page in one run. Absolute figures drift between machines, so
each page is also reported as a ratio of the static file's requests per second.
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from tools.bench import wrk as wrk_runs
from tools.servers import BASE_DIR, fetch, prepare_database, start_gunicorn, stop

DURATION = os.environ.get("BENCH_DURATION", "10s")  # each of BENCH_ROUNDS (3) rounds
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "50")
WORKERS = os.environ.get("WORKERS", "2")


def recreate_postgres_database(url: str, name: str) -> None:
    with psycopg.connect(url.rpartition("/")[0] + "/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')


def environment(workdir: Path, static_root: Path) -> dict:
    """The benchmark's own database (`<name>_bench`, or SQLite in workdir) and cache prefix."""
    env = dict(os.environ)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # The load runs measure what serving costs, from one address: no per-client limits (the
    # download budget's effect on clients looping on a file is measured by `make bench-scale`).
    env |= {
        "DEBUG": "off",
        "VAR_DIR": str(workdir),
        "SIGNUPS_PER_HOUR": "100000000",
        "DOWNLOAD_MB_PER_MINUTE": "100000000",
    }
    if env.get("DATABASE_URL"):
        base, _, name = env["DATABASE_URL"].rpartition("/")
        bench_db = f"{name.split('?')[0]}_bench"
        recreate_postgres_database(env["DATABASE_URL"], bench_db)
        env["DATABASE_URL"] = f"{base}/{bench_db}"
    if env.get("REDIS_URL"):
        env["CACHE_KEY_PREFIX"] = "cope-bench"
    env["STATIC_ROOT"] = str(static_root)  # collected already by `make static`
    return env


def serve(env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    """gunicorn as `make run` starts it; fails loudly unless /healthz says all is well."""
    extra = ("--keep-alive", "5", "--backlog", "2048")
    with log.open("ab") as output:
        server, url = start_gunicorn(env, workers=int(WORKERS), extra=extra, log=output)
    if fetch(url + "/healthz")[0] != 200:
        stop(server)
        sys.exit(f"gunicorn did not start healthy; see {log}")
    return server, url


def targets(url: str, static_root: Path) -> list[dict]:
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    sizes = {
        name: (static_root / hashed).stat().st_size for name, hashed in manifest["paths"].items()
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
    programs_page = fetch(url + "/programs/")[2]
    first_program = re.search(rb'href="(/programs/[a-z0-9-]+/)"', programs_page).group(1).decode()
    candidates = [
        {
            "name": f"static file ({reference}, {sizes[reference] // 1024} KB)",
            "path": "/static/" + manifest["paths"][reference],
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
        {"name": "a recommendation's history", "path": "/safety-plan/38/history/"},
        {"name": "change log", "path": "/safety-plan/changes/"},
        {"name": "change log since a day", "path": "/safety-plan/changes/?since=2026-01-01"},
        {"name": "/events/", "path": "/events/"},
        {"name": "/events/ last page", "path": "/events/?page=9999"},
        {"name": "/news/", "path": "/news/"},
        # Spanish pages, beside their English ones above.
        {"name": "/es/ (Spanish)", "path": "/es/"},
        {"name": "/es/programs/ (Spanish)", "path": "/es/programs/"},
        {"name": "a program page (Spanish)", "path": "/es" + first_program},
        {"name": "/es/safety-plan/ (Spanish)", "path": "/es/safety-plan/"},
        {"name": "a recommendation page (Spanish)", "path": "/es/safety-plan/38/"},
        {"name": "recommendations.csv", "path": "/safety-plan/recommendations.csv"},
        {"name": "recommendations.json", "path": "/safety-plan/recommendations.json"},
        {
            "name": "status-updates.csv?since=2000-01-01 (gzip)",
            "path": "/safety-plan/status-updates.csv?since=2000-01-01",
            "headers": {"Accept-Encoding": "gzip"},
        },
        {"name": "calendar.ics", "path": "/events/calendar.ics"},
        {
            "name": "volunteer sign-up POST",
            "path": "/volunteer/",
            "lua": wrk_runs.POST_LUA.format(body=form, cookie=cookie, origin=url),
        },
    ]
    available = []
    for target in candidates:
        status = 200 if "lua" in target else fetch(url + target["path"])[0]
        if status == 200:
            available.append(target)
        else:
            print(f"skipped {target['name']}: {target['path']} answers {status}", file=sys.stderr)
    return available


UNCACHED = [
    ("/safety-plan/ uncached", "/safety-plan/"),
    ("/es/safety-plan/ uncached (Spanish)", "/es/safety-plan/"),
    ("a recommendation page uncached", "/safety-plan/38/"),
    ("change log uncached", "/safety-plan/changes/"),
    ("/events/ uncached", "/events/"),
]
DOWNLOADS = [
    "/safety-plan/status-updates.csv",
    "/safety-plan/status-updates.json",
    "/safety-plan/recommendations.csv",
    "/events/calendar.ics",
]


def curl(url: str, *, compressed: bool = True, headers: dict | None = None) -> dict:
    """One request by curl as a browser makes it: status, bytes actually sent (compressed when
    the server compressed them), time to the first byte and in all."""
    line = ["curl", "-s", "-o", "/dev/null", "--max-time", "120"]
    line += ["--compressed"] if compressed else []
    for name, value in (headers or {}).items():
        line += ["-H", f"{name}: {value}"]
    line += ["-w", "%{http_code} %{size_download} %{time_starttransfer} %{time_total}", url]
    out = subprocess.run(line, capture_output=True, text=True, check=False).stdout.split()  # noqa: S603
    code, size, first, total = out if len(out) == 4 else ("0", "0", "0", "0")
    return {
        "status": int(code),
        "bytes_sent": int(size),
        "first_byte_ms": round(float(first) * 1000, 1),
        "total_ms": round(float(total) * 1000, 1),
    }


def first_builds(url: str) -> list[dict]:
    """Each download on a fresh server: built (the first request), then from its file."""
    rows = []
    for path in DOWNLOADS:
        built = curl(url + path)
        again = curl(url + path)
        rows.append({"path": path, "built": built, "from_file": again})
    return rows


def page_weights(env: dict) -> list[dict]:
    run = subprocess.run(
        [sys.executable, "-m", "tools.bench.weights"],
        env=env | {"PAGE_CACHE_SECONDS": "0", "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
        cwd=BASE_DIR,
        check=True,
    )
    return json.loads(run.stdout)


def follow_update_times(env: dict) -> list[dict]:
    """An editor's status update with 100, 1,000 and 10,000 followers (tools/bench/followers)."""
    run = subprocess.run(
        [sys.executable, "-m", "tools.bench.followers"],
        env=env | {"DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
        cwd=BASE_DIR,
        check=True,
    )
    return json.loads(run.stdout)


def print_table(report: dict) -> None:
    machine = report["machine"]
    print(
        f"medians of {machine['rounds']} rounds of {machine['duration']} each, wrk timeout "
        f"{machine['wrk_timeout']}; load average at the start {machine['load_average_at_start']} "
        f"on {machine['cpus']} CPUs (each row: the load average after it)\n"
    )
    print(
        f"{'page':<44} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'×static':>8} "
        f"{'bytes sent':>10} {'load':>5}"
    )
    for row in [*report["results"], report["surge"], *report["uncached"]]:
        print(
            f"{row['name'][:44]:<44} {row['requests_per_second']:>9.0f} "
            f"{row['p50_ms'] or 0:>8.2f} {row['p99_ms'] or 0:>8.2f} {row['errors']:>7} "
            f"{row['ratio_to_static']:>8.2f} {row.get('bytes_sent', ''):>10} "
            f"{row['load_average']:>5}"
        )
    print(f"\n{'download, first request then from its file':<44} {'bytes sent':>10} {'ms':>14}")
    for row in report["first_builds"]:
        built, again = row["built"], row["from_file"]
        print(
            f"{row['path'][:44]:<44} {built['bytes_sent']:>10} "
            f"{built['total_ms']:>7} → {again['total_ms']:<6}"
        )
    print(f"\n{'page':<44} {'queries':>8} {'gzip bytes (page+CSS+JS)':>26}")
    for page in report["pages"]:
        print(f"{page['path'][:44]:<44} {page['queries']:>8} {page['bytes']:>26}")
    print(f"\n{'status update by an editor (target < 300 ms)':<44} {'median ms':>10} {'emails':>7}")
    for row in report["follow_update"]:
        print(
            f"{'  with ' + format(row['followers'], ',') + ' followers':<44} "
            f"{row['median_ms']:>10.1f} {row['emails_in_request']:>7}"
        )


def run(wrk: str, workdir: Path, static_root: Path, output: Path) -> None:
    env = environment(workdir, static_root)
    prepare_database(env)
    log = workdir / "gunicorn.log"
    started = time.monotonic()

    def measure(url, target, connections=CONNECTIONS, duration=DURATION):
        return wrk_runs.measure(
            wrk, url, target, workdir, connections=connections, duration=duration
        )

    server, url = serve(env, log)
    try:
        builds = first_builds(url)
        pages = targets(url, static_root)
        for target in pages:  # warm: every page once, so the cache holds it
            fetch(url + target["path"], target.get("headers"))
        results = [measure(url, target) for target in pages]
        for target, row in zip(pages, results, strict=True):
            if "lua" not in target:
                sent = curl(url + target["path"], headers=target.get("headers"))
                row["bytes_sent"] = sent["bytes_sent"]
        surge = measure(
            url,
            {"name": "/safety-plan/ surge (200 connections)", "path": "/safety-plan/"},
            connections="200",
        )
    finally:
        stop(server)

    server, url = serve(env | {"PAGE_CACHE_SECONDS": "0"}, log)
    try:
        uncached = [
            measure(url, {"name": name, "path": path}, connections="10") for name, path in UNCACHED
        ]
    finally:
        stop(server)

    reference = results[0]["requests_per_second"] or 1
    for row in [*results, surge, *uncached]:
        row["ratio_to_static"] = round(row["requests_per_second"] / reference, 2)
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "database": env.get("DATABASE_URL", "sqlite").split("@")[-1],
            "cache": "redis" if env.get("REDIS_URL") else "file",
            "workers": WORKERS,
            "duration": DURATION,
            "rounds": wrk_runs.ROUNDS,
            "wrk_timeout": wrk_runs.TIMEOUT,
            "connections": CONNECTIONS,
            "load_average_at_start": round(os.getloadavg()[0], 1),
        },
        "results": results,
        "surge": surge,
        "uncached": uncached,
        "first_builds": builds,
        "pages": page_weights(env),
        "follow_update": follow_update_times(env),
        "seconds": round(time.monotonic() - started),
    }
    output.write_text(json.dumps(report, indent=2))
    print_table(report)
    print(f"\nWritten to {output}")


def main() -> None:
    var_dir = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
    parser = argparse.ArgumentParser(description="Measure the portal under load (loopback only).")
    parser.add_argument("--output", type=Path, default=var_dir / "bench.json")
    options = parser.parse_args()
    wrk = shutil.which("wrk")
    if not wrk:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    static_root = Path(os.environ.get("STATIC_ROOT", var_dir / "static"))
    var_dir.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="cope-bench-", dir=var_dir))
    try:
        run(wrk, workdir, static_root, options.output)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
