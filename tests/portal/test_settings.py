"""Settings come from the environment, with safe defaults for a laptop."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.checks import open_data_licence_chosen
from portal.settings import open_data_license

BASE_DIR = Path(__file__).resolve().parents[2]


def run_manage(*args, env_overrides, tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "SECRET_KEY",
            "HTTPS",
            "DATABASE_URL",
            "REDIS_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env |= {"VAR_DIR": str(tmp_path / "var")} | env_overrides
    return subprocess.run(
        [sys.executable, "manage.py", *args] + (["--no-imports"] if args[0] == "shell" else []),
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    production = {
        "SECRET_KEY": "x7-" + "k2Lq9vR4tZ8mW1pN6sY3bF5hJ0cD" * 2,
        "ALLOWED_HOSTS": "cope.example.gov",
        "HTTPS": "on",
        "PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "TRUSTED_PROXY_COUNT": "1",
        "EMAIL_HOST": "smtp.example.gov",
        "DEFAULT_FROM_EMAIL": "COPE <noreply@cope.example.gov>",
        "OPEN_DATA_LICENSE": "Example Open Licence 1.0 https://licences.example.org/open/1.0/",
    }

    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env_overrides=production, tmp_path=tmp_path
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_https_is_off(tmp_path):
    result = run_manage(
        "check", "--deploy", env_overrides={"SECRET_KEY": "k" * 60}, tmp_path=tmp_path
    )

    assert "security.W004" in result.stdout + result.stderr  # no HSTS without HTTPS


def test_missing_secret_key_is_made_once_and_kept_private(tmp_path):
    first = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env_overrides={},
        tmp_path=tmp_path,
    )
    second = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env_overrides={},
        tmp_path=tmp_path,
    )

    key_file = tmp_path / "var" / "secret_key"
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_defaults_are_sqlite_in_var_with_wal_a_shared_file_cache_and_debug_off(tmp_path):
    code = (
        "from django.conf import settings; from django.db import connection; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); "
        "print(settings.DEBUG, connection.vendor, c.fetchone()[0], "
        "settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1], "
        "settings.MAILERS['default']['BACKEND'].rsplit('.', 2)[-2])"
    )

    result = run_manage("shell", "-c", code, env_overrides={}, tmp_path=tmp_path)

    assert result.stdout.split() == ["False", "sqlite", "wal", "FileBasedCache", "console"]
    assert (tmp_path / "var" / "db.sqlite3").exists()


def test_smtp_is_used_when_configured_with_a_timeout(tmp_path):
    code = "from django.conf import settings; print(settings.MAILERS['default'])"

    result = run_manage(
        "shell", "-c", code, env_overrides={"EMAIL_HOST": "smtp.example.gov"}, tmp_path=tmp_path
    )

    assert "smtp.EmailBackend" in result.stdout and "'timeout': 10" in result.stdout


def test_open_data_licence_is_a_name_and_a_url_or_unset():
    assert open_data_license("") is None
    assert open_data_license(" Example Open Licence 1.0 https://licences.example.org/1.0/ ") == {
        "name": "Example Open Licence 1.0",
        "url": "https://licences.example.org/1.0/",
    }
    for wrong in ["https://licences.example.org/1.0/", "Example Open Licence 1.0"]:
        with pytest.raises(ImproperlyConfigured, match="name, then a space and its URL"):
            open_data_license(wrong)


def test_deploy_check_warns_until_the_city_sets_the_open_data_licence(settings):
    settings.OPEN_DATA_LICENSE = None
    assert [w.id for w in open_data_licence_chosen(None)] == ["portal.W002"]

    settings.OPEN_DATA_LICENSE = {"name": "Example", "url": "https://licences.example.org/1.0/"}
    assert open_data_licence_chosen(None) == []
