"""Worker CPU per uncached render, English, Spanish and with i18n off, and where it goes.

`python -m tools.bench.render` renders each page N times, in interleaved rounds, in this
process through Django's test client with the page cache off (the database the environment
names, loaded with the COPE content: `make content` for the SQLite default). It prints the
median CPU milliseconds per render (`time.process_time`: this process only, so the machine's
other work counts less), the queries, and the ratio of each page with i18n on to the same
English page with i18n off (what the Spanish machinery costs). `--profile` adds a cProfile of
the first page's renders; `--save DIR` writes each page's HTML (to compare before and after).

    .venv/bin/python -m tools.bench.render                  # 3 rounds of 20 renders each
    .venv/bin/python -m tools.bench.render --profile --path /safety-plan/ --rounds 1 --runs 50
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

PATHS = ["/safety-plan/", "/es/safety-plan/"]


def renders(client, path: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.process_time()
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)  # noqa: S101
        times.append((time.process_time() - started) * 1000)
    return times


def queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured)


def forget_translation_functions() -> None:
    """Django picks gettext's real or null functions on first use and keeps them: forget them,
    and what the portal keeps per language, so that a change of USE_I18N takes effect as in a
    process started with it."""
    from django.utils import translation

    from events.templatetags import events
    from portal import context_processors
    from recommendations import models

    for name in list(vars(translation._trans)):
        delattr(translation._trans, name)
    for module, name in [
        (context_processors, "nav_links"),
        (context_processors, "translated_path"),
        (context_processors, "language_links_at"),
        (events, "summary"),
        (models, "status_labels"),
    ]:
        if hasattr(module, name):  # (an older checkout, measured for comparison, may lack it)
            getattr(module, name).cache_clear()


def cpu_per_render(paths, *, runs: int, rounds: int, save: Path | None = None) -> list[dict]:
    """Each page's median CPU ms per render (page cache off), with i18n on and, for English
    pages, off; `ratio_to_i18n_off` for each page with i18n on that has an English twin."""
    from django.test import Client
    from django.test.utils import override_settings

    client = Client()
    english = [p for p in paths if not p.startswith("/es/")]
    variants = [(path, True) for path in paths] + [(path, False) for path in english]
    times = {variant: [] for variant in variants}
    rows = {}
    # Interleaved rounds: the machine's other work weighs on every variant alike.
    for _ in range(rounds):
        for path, i18n in variants:
            with override_settings(USE_I18N=i18n):
                forget_translation_functions()
                client.get(path)  # warm: templates compiled, catalogs read, connection open
                times[path, i18n] += renders(client, path, runs)
                if (path, i18n) not in rows:
                    html = client.get(path).content
                    rows[path, i18n] = {
                        "path": path,
                        "i18n": i18n,
                        "queries": queries(client, path),
                        "bytes": len(html),
                    }
                    if save and i18n:
                        save.mkdir(parents=True, exist_ok=True)
                        name = path.strip("/").replace("/", "_") or "home"
                        (save / f"{name}.html").write_bytes(html)
    forget_translation_functions()
    rows = list(rows.values())
    for row in rows:
        row["cpu_ms"] = round(statistics.median(times[row["path"], row["i18n"]]), 2)
        row["min_ms"] = round(min(times[row["path"], row["i18n"]]), 2)
    off = {row["path"]: row["cpu_ms"] for row in rows if not row["i18n"]}
    for row in rows:
        if row["i18n"]:
            english_path = row["path"].removeprefix("/es")
            if english_path in off:
                row["ratio_to_i18n_off"] = round(row["cpu_ms"] / off[english_path], 3)
    return rows


def instructions_per_render(paths, *, runs: int = 30) -> dict | None:
    """Each page's machine instructions per render (valgrind's callgrind counts them: the same
    figure whatever else the machine does, where CPU milliseconds swing by a third on a shared
    machine), with i18n on and, for English pages, off: {(path, i18n): instructions}. Each
    variant runs in two processes under callgrind, one rendering `runs` times more than the
    other after the same warm-up; the difference over `runs` is one render (a process's start
    itself varies by a few million instructions: 30 renders make that well under 1% of one).
    None without valgrind (Debian's package)."""
    valgrind = shutil.which("valgrind")
    if not valgrind:
        return None
    english = [p for p in paths if not p.startswith("/es/")]
    variants = [(path, True) for path in paths] + [(path, False) for path in english]
    env = os.environ | {"PYTHONHASHSEED": "0", "PAGE_CACHE_SECONDS": "0"}

    def counted(path: str, i18n: bool, count: int) -> subprocess.Popen:
        command = [
            valgrind,
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-m",
            "tools.bench.render",
            "--worker",
            f"{path} {'on' if i18n else 'off'} {count}",
        ]
        return subprocess.Popen(  # noqa: S603 (this interpreter, this module, our arguments)
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    found = {}
    for path, i18n in variants:  # two processes at a time (the machines here have 2 cores)
        fewer, more = counted(path, i18n, 0), counted(path, i18n, runs)
        totals = []
        for process in (fewer, more):
            _, err = process.communicate()
            refs = re.search(rb"I\s+refs:\s+([\d,]+)", err)
            if process.returncode or not refs:
                raise RuntimeError(f"callgrind of {path} failed: {err[-500:]!r}")
            totals.append(int(refs.group(1).replace(b",", b"")))
        found[path, i18n] = (totals[1] - totals[0]) // runs
    return found


def add_instructions(rows: list[dict], found: dict | None) -> None:
    """Put callgrind's instructions per render into `rows` (cpu_per_render's), with each page's
    ratio to the English page with i18n off by that count: `instructions_ratio_to_i18n_off`."""
    if not found:
        return
    for row in rows:
        row["instructions"] = found.get((row["path"], row["i18n"]))
    off = {row["path"]: row["instructions"] for row in rows if not row["i18n"]}
    for row in rows:
        english_path = row["path"].removeprefix("/es")
        if row["i18n"] and off.get(english_path) and row["instructions"]:
            row["instructions_ratio_to_i18n_off"] = round(
                row["instructions"] / off[english_path], 3
            )


def worker(spec: str) -> None:
    """`--worker "PATH on|off N"`: warm up, then render PATH N times (under callgrind)."""
    path, i18n, runs = spec.split()
    from django.test import Client
    from django.test.utils import override_settings

    client = Client()
    with override_settings(USE_I18N=i18n == "on"):
        forget_translation_functions()
        client.get(path)
        client.get(path)
        renders(client, path, int(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="renders per page and round")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--path", action="append", help="a page to render (repeatable)")
    parser.add_argument("--profile", action="store_true", help="cProfile the first page")
    parser.add_argument("--top", type=int, default=35, help="functions the profile lists")
    parser.add_argument("--save", type=Path, help="write each page's HTML into this folder")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count instructions per render with valgrind (about 90 s per variant)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    options = parser.parse_args()
    paths = options.path or PATHS

    os.environ["PAGE_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    if options.worker:
        worker(options.worker)
        return
    rows = cpu_per_render(paths, runs=options.runs, rounds=options.rounds, save=options.save)
    if options.instructions:
        add_instructions(rows, instructions_per_render(paths))

    if options.json:
        print(json.dumps(rows, indent=2))
    else:
        print(
            f"{'page':<36} {'i18n':>5} {'CPU ms':>8} {'min ms':>8} {'queries':>8} {'bytes':>8} "
            f"{'×off':>6} {'instr. M':>9} {'×off':>6}"
        )
        for row in rows:
            ratio = row.get("ratio_to_i18n_off")
            instructions = row.get("instructions")
            by_count = row.get("instructions_ratio_to_i18n_off")
            print(
                f"{row['path']:<36} {'on' if row['i18n'] else 'off':>5} {row['cpu_ms']:>8.2f} "
                f"{row['min_ms']:>8.2f} "
                f"{row['queries']:>8} {row['bytes']:>8} {f'{ratio:.2f}' if ratio else '':>6} "
                f"{f'{instructions / 1e6:.2f}' if instructions else '':>9} "
                f"{f'{by_count:.3f}' if by_count else '':>6}"
            )
        print(
            f"(median of {options.rounds} interleaved rounds of {options.runs} renders each, "
            f"page cache off; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
        )

    if options.profile:
        from django.test import Client

        client = Client()
        profiler = cProfile.Profile()
        profiler.enable()
        renders(client, paths[0], options.runs * options.rounds)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(options.top)
        stats.sort_stats("tottime").print_stats(options.top)
        calls = {}
        for (_, _, name), (_, ncalls, *_rest) in stats.stats.items():
            if name in ("gettext", "pgettext", "ngettext", "npgettext", "__str__", "__cast"):
                calls[name] = calls.get(name, 0) + ncalls
        print(out.getvalue(), file=sys.stderr)
        print(
            "calls per render: "
            + ", ".join(
                f"{n} {c / options.runs / options.rounds:.0f}" for n, c in sorted(calls.items())
            ),
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
