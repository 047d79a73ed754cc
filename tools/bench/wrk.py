"""Running wrk against one target, in rounds, and reading its reports."""

import os
import re
import statistics
import subprocess
from pathlib import Path

POST_LUA = """
wrk.method = "POST"
wrk.body = "{body}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "csrftoken={cookie}"
wrk.headers["Referer"] = "{origin}/volunteer/"
"""
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
# Above the slowest response gunicorn lets through (its --timeout is 30 s): a slow response is
# measured as slow, never dropped as a wrk "timeout" error and left out of the latencies.
TIMEOUT = "31s"


def parse(output: str) -> dict:
    """Requests per second, median and 99th percentile latency, errors of a `wrk --latency` run."""

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


def command(wrk: str, url: str, target: dict, workdir: Path, *, connections, duration, threads=2):
    """The wrk command line for one target (its headers, its Lua script for a POST)."""
    line = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}", "--latency"]
    line += ["--timeout", TIMEOUT]
    for name, value in target.get("headers", {}).items():
        line += ["-H", f"{name}: {value}"]
    if "lua" in target:
        script = workdir / "post.lua"
        script.write_text(target["lua"])
        line += ["-s", str(script)]
    return [*line, url + target["path"]]


def median_of(runs: list[dict]) -> dict:
    """The median of each figure over the rounds, the errors of all of them, each round's req/s."""

    def median(key):
        values = [run[key] for run in runs if run[key] is not None]
        return round(statistics.median(values), 2) if values else None

    return {
        "requests_per_second": median("requests_per_second"),
        "p50_ms": median("p50_ms"),
        "p99_ms": median("p99_ms"),
        "errors": sum(run["errors"] for run in runs),
        "rounds": [run["requests_per_second"] for run in runs],
        "load_average": round(os.getloadavg()[0], 1),
    }


def measure(
    wrk: str, url: str, target: dict, workdir: Path, *, connections: str, duration: str, rounds=None
):
    """`rounds` wrk runs of `duration` (BENCH_ROUNDS, 3, by default): their medians."""
    runs = []
    for _ in range(rounds or ROUNDS):
        run = subprocess.run(  # noqa: S603
            command(wrk, url, target, workdir, connections=connections, duration=duration),
            capture_output=True,
            text=True,
            timeout=600,
        )
        runs.append(parse(run.stdout))
    return {"name": target["name"], "path": target["path"]} | median_of(runs)
