"""deploy/ (issue 31) stays in step with the code: the variables, the commands, the limits.

`make deploy-test` runs these files for real (nginx, two nodes, a worker); these checks need
nothing running, so `make test` catches a setting or a command added without its deploy/ line.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

from tools.deploytest.rendering import (
    DEPLOY,
    Unit,
    render_nginx_site,
    settings_variables,
    template_variables,
    timers,
)

SITE = (DEPLOY / "nginx" / "cope.conf").read_text()


def test_the_environment_template_names_every_variable_the_settings_read():
    named = set(template_variables((DEPLOY / "cope.env").read_text()))

    assert sorted(settings_variables() - named) == []
    assert named - settings_variables() == {"WEB_CONCURRENCY"}  # gunicorn's own


def test_every_timer_starts_a_oneshot_service_running_a_manage_py_command(tmp_path):
    commands = get_commands()
    scheduled = []
    for _timer, service, _calendar in timers():
        unit = Unit(service, env_file=tmp_path / "cope.env")
        assert unit.value("Service", "Type") == "oneshot"
        for argv in unit.commands():
            assert argv[1] == "manage.py" and argv[2] in commands, argv
            scheduled.append(" ".join(argv[2:]))

    assert {
        "send_signup_notifications",
        "send_follow_digests",
        "send_follow_digests --retry-only",
        "purge_signups",
        "purge_follow_requests",
        "prune_db_task_results --min-age-days 30",
        "clearsessions",
        "backup --keep 14",
        "axes_reset_logs --age 90",  # staff sign-ins: addresses are personal data too
    } <= set(scheduled)
    # and every command the README tells a crontab to run
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    cron = {
        line.split("manage.py ", 1)[1].split("#")[0].strip()
        for line in readme.splitlines()
        if re.match(r"^[0-9*/,-]+ +\S+ +\S+ +\S+ +\S+ +cd /srv/cope && ", line)
    }
    assert cron and cron <= set(scheduled), cron - set(scheduled)


def test_nginx_takes_the_largest_body_the_portal_accepts_and_waits_longer_than_gunicorn(tmp_path):
    body = re.search(r"client_max_body_size (\d+)m;", SITE)
    read_timeout = re.search(r"proxy_read_timeout (\d+)s;", SITE)
    web = Unit("cope-web@.service", env_file=tmp_path / "cope.env", instance="8001")
    (gunicorn,) = web.commands()

    assert int(body.group(1)) * 1024 * 1024 == settings.STAFF_UPLOAD_MAX_SIZE
    assert int(read_timeout.group(1)) > int(gunicorn[gunicorn.index("--timeout") + 1])


def test_static_files_from_nginx_carry_the_portals_security_headers(client):
    static = SITE[SITE.index("location /static/") :]
    static = static[: static.index("}")]
    from_nginx = dict(re.findall(r'add_header ([\w-]+) "?([^";]+)"? always;', static))
    page = client.get("/privacy/")

    for name, value in from_nginx.items():
        if name != "Cache-Control":
            assert page.headers[name] == value, name


def test_the_site_renders_for_loopback_ports_without_a_public_address(tmp_path):
    site = render_nginx_site(
        https_port=8443,
        http_port=8080,
        nodes=[9001, 9002],
        workdir=tmp_path,
        cert=tmp_path / "cert.pem",
        key=tmp_path / "key.pem",
    )

    assert re.findall(r"listen ([^ ;]+)", site) == ["127.0.0.1:8080", "127.0.0.1:8443"]
    assert re.findall(r"server (127\.0\.0\.1:\d+) ", site) == ["127.0.0.1:9001", "127.0.0.1:9002"]
    directives = "\n".join(line for line in site.splitlines() if not line.lstrip().startswith("#"))
    assert "/srv/cope" not in directives and "example.gov" not in directives


def test_the_worker_is_started_again_however_long_the_database_is_away(tmp_path):
    """db_worker exits when the database goes away: systemd's default start limit (5 starts in
    10 s) would leave it stopped after a long outage."""
    worker = Unit("cope-worker@.service", env_file=tmp_path / "cope.env", instance="1")

    assert worker.value("Service", "Restart") == "always"
    assert worker.value("Unit", "StartLimitIntervalSec") == "0"


def test_redis_evicts_under_a_memory_limit_rather_than_growing():
    conf = (Path(settings.BASE_DIR) / "deploy" / "redis" / "cope.conf").read_text()
    lines = {line.split()[0]: line.split()[1:] for line in conf.splitlines() if line[:1].isalpha()}
    assert lines["maxmemory"][0].endswith("mb") and int(lines["maxmemory"][0][:-2]) > 0
    assert lines["maxmemory-policy"] == ["allkeys-lru"]
