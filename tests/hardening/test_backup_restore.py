"""Family 9, data safety: a backup made as the README says restores every row."""

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
COUNT_ROWS = (
    "import json; from django.apps import apps; "
    "print(json.dumps({m._meta.label: m._default_manager.count() for m in apps.get_models()}))"
)


def manage(*args, env):
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        env=env,
        cwd=BASE_DIR,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def environment(tmp_path, **extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return env | {"VAR_DIR": str(tmp_path / "var")} | extra


def fill(env):
    manage("migrate", "-v0", env=env)
    manage("load_cope_content", env=env)
    manage(
        "shell",
        "--no-imports",
        "-c",
        (
            "from programs.models import *; "
            "s = VolunteerSignup.objects.create(reference='V-BACKUP', full_name='Ana', "
            "email='a@example.org', zip_code='35203', age_band='18-or-over'); "
            "s.programs.set(Program.objects.filter(door='volunteer')[:2])"
        ),
        env=env,
    )
    return manage("shell", "--no-imports", "-c", COUNT_ROWS, env=env)


def test_sqlite_backup_restores_every_row(tmp_path):
    env = environment(tmp_path)
    before = fill(env)
    backup = tmp_path / "cope-backup.sqlite3"

    # The README's command, while the database is in use (WAL mode).
    source = sqlite3.connect(tmp_path / "var" / "db.sqlite3")
    source.backup(sqlite3.connect(backup))
    source.close()
    restored = tmp_path / "restored"
    (restored / "var").mkdir(parents=True)
    (restored / "var" / "db.sqlite3").write_bytes(backup.read_bytes())

    after = manage("shell", "--no-imports", "-c", COUNT_ROWS, env=environment(restored))
    assert after == before and '"programs.VolunteerSignup": 1' in after


def postgres_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not postgres_answers(), reason="needs PostgreSQL on 127.0.0.1:5432")
def test_postgres_dump_restores_into_an_empty_database_with_every_row(tmp_path):
    server = "postgres://postgres@127.0.0.1:5432"
    names = [f"cope_backup_{os.getpid()}", f"cope_restore_{os.getpid()}"]
    for name in names:
        subprocess.run(
            ["psql", f"{server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
            check=True,
        )
        subprocess.run(["psql", f"{server}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    try:
        before = fill(environment(tmp_path, DATABASE_URL=f"{server}/{names[0]}"))
        dump = tmp_path / "cope.dump"
        with dump.open("wb") as out:
            subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", f"{server}/{names[0]}"],
                stdout=out,
                check=True,
            )
        subprocess.run(
            ["pg_restore", "--no-owner", "--dbname", f"{server}/{names[1]}", str(dump)], check=True
        )

        after = manage(
            "shell",
            "--no-imports",
            "-c",
            COUNT_ROWS,
            env=environment(tmp_path, DATABASE_URL=f"{server}/{names[1]}"),
        )
        assert after == before and '"recommendations.StatusUpdate": 68' in after
    finally:
        for name in names:
            subprocess.run(
                [
                    "psql",
                    f"{server}/postgres",
                    "-qc",
                    f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
                ]
            )
