"""Running wrk against one target and reading its report."""

import re
import subprocess
from pathlib import Path

POST_LUA = """
wrk.method = "POST"
wrk.body = "{body}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "csrftoken={cookie}"
wrk.headers["Referer"] = "{origin}/volunteer/"
"""


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


def measure(wrk: str, url: str, target: dict, workdir: Path, *, connections: str, duration: str):
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
    return {"name": target["name"], "path": target["path"]} | parse(run.stdout)
