"""Family 9, data safety: `manage.py backup` (`make backup`, cope-backup.timer) and `manage.py
restore`, as the README says, bring back every row, and the restored site shows the same public
pages and downloads as the one backed up (issue 31)."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
COUNT_ROWS = (
    "import json; from django.apps import apps; "
    "print(json.dumps({m._meta.label: m._default_manager.count() for m in apps.get_models()}))"
)
DOWNLOAD_TOKENS = (
    "import json; from core.models import ContentVersion as V; "
    "print(json.dumps(dict(V.objects.values_list('name', 'token'))))"
)
# Every page of the sitemap and every download linked from them, hashed (the per-request CSRF
# token and CSP nonce taken out): what the public sees.
PUBLIC_VIEW = r"""
import hashlib, json, re
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
pages = re.findall(r"<loc>https?://[^/]+(/[^<]*)</loc>", client.get("/sitemap.xml").text)
seen = {}
for url in pages:
    body = client.get(url).content.decode()
    seen[url] = body
    for link in re.findall(r'href="(/[^"#?]+\.(?:csv|json|ics|vcf|geojson|xml))"', body):
        seen.setdefault(link, None)
for url, body in list(seen.items()):
    if body is None:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.getvalue().decode()
    body = re.sub(r'(csrfmiddlewaretoken" value=|nonce=)"[^"]*"', r"\1", body)
    seen[url] = hashlib.sha256(body.encode()).hexdigest()
print(json.dumps(seen))
"""


def manage(*args, env):
    result = subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def environment(var_dir, **extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    static = os.environ.get("STATIC_ROOT", str(BASE_DIR / "var" / "static"))  # `make static`'s
    return env | {"VAR_DIR": str(var_dir), "STATIC_ROOT": static, "SECRET_KEY": "test"} | extra


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


def what_it_shows(env):
    rows = json.loads(manage("shell", "--no-imports", "-c", COUNT_ROWS, env=env))
    public = json.loads(manage("shell", "--no-imports", "-c", PUBLIC_VIEW, env=env))
    return rows, public


def backup_and_restore(tmp_path, source, target):
    """Back up `source` (twice: --keep 1 keeps the newer), restore into `target`."""
    fill(source)
    before = what_it_shows(source)
    folder = tmp_path / "backups"
    manage("backup", "--to", str(folder), env=source)
    printed = manage("backup", "--to", str(folder), "--keep", "1", env=source)
    (backup,) = folder.iterdir()
    assert str(backup) in printed and backup.stat().st_mode & 0o077 == 0, "readable by others"

    manage("restore", str(backup), "--noinput", env=target)
    rows, public = what_it_shows(target)
    tokens = json.loads(manage("shell", "--no-imports", "-c", DOWNLOAD_TOKENS, env=target))
    backed_up = json.loads(manage("shell", "--no-imports", "-c", DOWNLOAD_TOKENS, env=source))

    assert rows == before[0] and rows["programs.VolunteerSignup"] == 1
    assert public == before[1]
    # the downloads are built again from the restored rows, whatever files a node kept
    assert tokens and tokens.keys() == backed_up.keys()
    assert not set(tokens.values()) & set(backed_up.values())
    downloads = [url for url in public if urlsplit(url).path.endswith((".csv", ".json", ".ics"))]
    assert len(public) > 20 and len(downloads) >= 4, sorted(public)
    return rows


def test_sqlite_backup_restores_the_same_site_into_a_fresh_folder(tmp_path):
    source = environment(tmp_path / "var")
    target = environment(tmp_path / "restored" / "var")

    backup_and_restore(tmp_path, source, target)


def test_a_backup_of_one_kind_is_refused_by_the_other(tmp_path):
    env = environment(tmp_path / "var")
    dump = tmp_path / "cope-2026-01-01T000000Z.dump"
    dump.write_bytes(b"PGDMP")

    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(dump), "--noinput"],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "not a sqlite backup" in result.stderr


DATABASE_URL = os.environ.get("DATABASE_URL", "")


@pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres"), reason="needs PostgreSQL (DATABASE_URL)"
)
def test_postgres_dump_restores_the_same_site_into_a_fresh_database(tmp_path):
    """Into databases of their own, named after DATABASE_URL's (never DATABASE_URL's itself)."""
    server, _, name = DATABASE_URL.rpartition("/")
    names = [f"{name}_backup", f"{name}_restore"]

    def psql(sql):
        subprocess.run(["psql", f"{server}/postgres", "-qc", sql], check=True)

    for database in names:
        psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        psql(f"CREATE DATABASE {database}")
    try:
        rows = backup_and_restore(
            tmp_path,
            environment(tmp_path / "var", DATABASE_URL=f"{server}/{names[0]}"),
            environment(tmp_path / "restored" / "var", DATABASE_URL=f"{server}/{names[1]}"),
        )
        assert rows["recommendations.StatusUpdate"] == 68
    finally:
        for database in names:
            psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def test_only_the_newest_backups_are_kept_and_a_partial_one_never_counts(tmp_path):
    from portal.backups import backups, prune

    names = [f"cope-2026-11-{day:02}T030000Z.dump" for day in range(1, 6)]
    for name in [*names, "cope-2026-11-06T030000Z.dump.partial", "notes.txt"]:
        (tmp_path / name).write_text("")

    assert [p.name for p in prune(tmp_path, 2)] == names[:3]
    assert [p.name for p in backups(tmp_path)] == names[3:]
    assert (tmp_path / "notes.txt").exists()


def test_two_backups_in_the_same_second_are_two_backups_newest_last(tmp_path):
    """The timer's backup and a `make backup` in the same second: neither replaces the other."""
    from portal.backups import backups, prune, published

    earlier = tmp_path / "cope-2026-12-02T040000Z.dump"
    earlier.write_bytes(b"yesterday")
    made = []
    for content in [b"first", b"second"]:
        partial = tmp_path / f"cope-2026-12-03T040000Z-{content.decode()}.partial"
        partial.write_bytes(content)
        made.append(published(partial, tmp_path, "cope-2026-12-03T040000Z", ".dump"))
        partial.unlink()

    assert [p.name for p in made] == [
        "cope-2026-12-03T040000Z.dump",
        "cope-2026-12-03T040000Z~2.dump",
    ]
    assert [p.read_bytes() for p in backups(tmp_path)] == [b"yesterday", b"first", b"second"]
    assert prune(tmp_path, 2) == [earlier]  # the newest sorts last, as prune expects
