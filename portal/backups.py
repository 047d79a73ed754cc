"""Backups that restore (issue 31): the whole database in one file, and back again.

PostgreSQL: `pg_dump --format=custom` (one file, any size, restored by `pg_restore`); SQLite
(the laptop default): SQLite's own online backup, consistent while the site runs (WAL). The
database is everything: the portal keeps no uploaded file (a staff CSV upload is read into the
database), and var/'s cache and static files are rebuilt. The file holds personal data (the
volunteer sign-ups, the followers' addresses): it is written with mode 0600, under a temporary
name until complete, so a backup that failed half-way never looks like one.

The passwords go to pg_dump and pg_restore through PGPASSWORD, never on a command line that
`ps` shows.
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

SUFFIXES = {"postgresql": ".dump", "sqlite": ".sqlite3"}


class BackupError(Exception):
    pass


def vendor() -> str:
    vendor = connections["default"].vendor
    if vendor not in SUFFIXES:
        raise BackupError(f"no backup for a {vendor} database")
    return vendor


def postgres_environment() -> dict[str, str]:
    """libpq's variables for the default database, from Django's settings."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if db.get("OPTIONS", {}).get(option):
            env["PG" + option.upper()] = str(db["OPTIONS"][option])
    return env


def run(argv: list[str], *, stdout=subprocess.DEVNULL) -> None:
    if not shutil.which(argv[0]):
        raise BackupError(f"{argv[0]} not found: install PostgreSQL's client (postgresql-client)")
    # Our own argv (pg_dump or pg_restore and fixed options), never a shell.
    result = subprocess.run(  # noqa: S603
        argv, env=postgres_environment(), stdout=stdout, stderr=subprocess.PIPE
    )
    if result.returncode:
        raise BackupError(f"{argv[0]} failed: {result.stderr.decode(errors='replace').strip()}")


def backup(folder: Path, *, now: datetime | None = None) -> Path:
    """One complete backup of the database in `folder`: cope-<UTC time>.dump or .sqlite3, or
    cope-<UTC time>~2.dump for a second one in the same second (the timer's and a `make backup`,
    say): a backup never replaces another, and the names still sort oldest first."""
    kind = vendor()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H%M%SZ")
    # a name of its own while it is written (mode 0600), whoever else backs up at the same time
    handle, name = tempfile.mkstemp(dir=folder, prefix=f"cope-{stamp}-", suffix=".partial")
    os.close(handle)
    partial = Path(name)
    try:
        if kind == "postgresql":
            with partial.open("wb") as out:
                run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges"], stdout=out)
        else:
            connections["default"].ensure_connection()
            target = sqlite3.connect(partial)
            try:
                connections["default"].connection.backup(target)
            finally:
                target.close()
        return published(partial, folder, f"cope-{stamp}", SUFFIXES[kind])
    finally:
        partial.unlink(missing_ok=True)


def published(partial: Path, folder: Path, stem: str, suffix: str) -> Path:
    """`partial` under the first free name of stem.suffix, stem~2.suffix, … stem~9.suffix (a
    hard link: it fails where the name is taken, rather than replacing that backup)."""
    for n in range(1, 10):
        path = folder / f"{stem}{f'~{n}' if n > 1 else ''}{suffix}"
        try:
            os.link(partial, path)
        except FileExistsError:
            continue
        return path
    raise BackupError(f"{folder} already holds 9 backups named {stem}: try again in a second")


def backups(folder: Path) -> list[Path]:
    """The complete backups in `folder`, oldest first (their names sort by time)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("cope-*") if p.suffix in SUFFIXES.values())


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups; returns those deleted."""
    old = backups(folder)[:-keep] if keep > 0 else []
    for path in old:
        path.unlink()
    return old


def restore(path: Path) -> None:
    """Replace the default database's contents with the backup at `path` (stop the site first;
    a new, empty database is fine: create it, point DATABASE_URL at it, restore)."""
    kind = vendor()
    if path.suffix != SUFFIXES[kind]:
        raise BackupError(f"{path.name} is not a {kind} backup ({SUFFIXES[kind]})")
    if not path.is_file():
        raise BackupError(f"{path} not found")
    if kind == "postgresql":
        connections["default"].close()
        run(
            [
                *("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges"),
                *("--single-transaction", "--exit-on-error"),
                *("--dbname", settings.DATABASES["default"]["NAME"], str(path)),
            ]
        )
    else:
        connections["default"].ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connections["default"].connection)
        finally:
            source.close()
