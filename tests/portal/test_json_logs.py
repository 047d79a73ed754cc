"""LOG_FORMAT=json (issue 31): one JSON object per line, for a city's log shipper, holding no
more than the plain log does: no follow token, no query string, no raw control character."""

import io
import json
import logging
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

from portal.accesslog import AccessLogger
from portal.logfilters import JsonLines, NoFollowTokens

BASE_DIR = Path(__file__).resolve().parents[2]
HOSTILE_PATH = "/follow/manage/Xq7SECRETtoken/\r\nFORGED-LINE\x00\u2028?q=kim%40example.org"


def logged_as_json(log):
    """What the portal's stderr handler writes for `log()`, with the JSON formatter."""
    (handler,) = [  # settings.LOGGING's "stderr" (pytest adds its own beside it)
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, NoFollowTokens) for f in h.filters)
    ]
    stream = io.StringIO()
    old_stream, old_formatter = handler.setStream(stream), handler.formatter
    handler.setFormatter(JsonLines())
    try:
        log()
    finally:
        handler.setStream(old_stream)
        handler.setFormatter(old_formatter)
    return stream.getvalue()


def test_a_record_with_a_control_character_and_a_follow_token_is_one_redacted_json_line():
    written = logged_as_json(
        lambda: logging.getLogger("django.request").warning(
            "Not Found: %s", HOSTILE_PATH, extra={"status_code": 404, "request": object()}
        )
    )

    (line,) = written.splitlines()  # \n ends the line; nothing else breaks it
    assert line.isascii() and line.isprintable()
    entry = json.loads(line)
    assert set(entry) == {"time", "level", "logger", "message", "status_code"}
    assert entry["level"] == "WARNING" and entry["logger"] == "django.request"
    assert entry["status_code"] == 404 and entry["time"].endswith("+00:00")
    assert entry["message"].startswith("Not Found: /follow/manage/…/\r\nFORGED-LINE\x00")
    assert "SECRET" not in written and "kim" not in written


def test_an_exception_is_one_json_line_without_follow_tokens():
    def fail():
        try:
            raise ValueError(f"no such follower: {HOSTILE_PATH}")
        except ValueError:
            logging.getLogger("django.request").exception("Internal Server Error: /follow/")

    (line,) = logged_as_json(fail).splitlines()
    entry = json.loads(line)

    assert "Traceback" in entry["exception"] and "/follow/manage/…/" in entry["exception"]
    assert "SECRET" not in line


def test_gunicorns_access_and_error_lines_are_json_too(tmp_path, monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "json")
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    config.set("errorlog", str(tmp_path / "error.log"))
    config.set("access_log_format", '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms')
    logger = AccessLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": HOSTILE_PATH,
        "PATH_INFO": HOSTILE_PATH.partition("?")[0],
        "QUERY_STRING": "q=kim%40example.org",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
    }
    logger.access(
        SimpleNamespace(status="404 Not Found", headers=[], sent=0), [], environ, timedelta(0)
    )
    logger.error("worker %s booted", 7)
    for handler in (*logger.access_log.handlers, *logger.error_log.handlers):
        handler.flush()

    (access,) = (tmp_path / "access.log").read_text().splitlines()
    (error,) = (tmp_path / "error.log").read_text().splitlines()
    assert json.loads(error)["message"] == "worker 7 booted"
    entry = json.loads(access)
    assert entry["logger"] == "gunicorn.access"
    assert '"GET /follow/manage/…/\\r\\nFORGED-LINE\\x00\\u2028 HTTP/1.1" 404 0' in entry["message"]
    assert "SECRET" not in access and "kim" not in access and "203.0.113" not in access


def test_an_unknown_log_format_stops_the_portal_from_starting(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={"PATH": "/usr/bin:/bin", "LOG_FORMAT": "xml", "VAR_DIR": str(tmp_path)},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "LOG_FORMAT is 'plain' or 'json'" in result.stderr
