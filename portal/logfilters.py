"""What the logs may hold: no query string (a coordinator's search for an email address or a
phone number), no follow token (the manage page shows the follower's address), and no raw
control character (a CR/LF in an address would write a forged line).

Django's development server logs every request line, and Django warns of each 4xx with the
path; gunicorn's access log goes through portal.accesslog, which applies the same rules.

LOG_FORMAT=json writes each record as one JSON object on one line (JsonLines), for a city's log
shipper: the same message, filtered the same way, with every character outside printable ASCII
escaped by JSON itself, so no value can break the line.
"""

import json
import logging
import re
from datetime import UTC, datetime

QUERY_STRING = re.compile(r"\?[^\s\"']*")
FOLLOW_TOKEN = re.compile(r"(/follow/(?:manage|unsubscribe|confirm)/)[^/?\s\"']+")
REDACTED = "…"


def escaped(text: str) -> str:
    """Control and other unprintable characters as backslash escapes (as Django's own request
    warnings write them), so one request is always one line."""
    if text.isprintable() and "\\" not in text:
        return text
    return "".join(
        c if c.isprintable() and c != "\\" else c.encode("unicode_escape").decode() for c in text
    )


def without_tokens(text: str) -> str:
    return FOLLOW_TOKEN.sub(rf"\g<1>{REDACTED}", text)


class NoQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "?" in message:
            record.msg, record.args = QUERY_STRING.sub("?…", message), None
        return True


class NoFollowTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/follow/" in message:
            record.msg, record.args = without_tokens(message), None
        return True


class JsonLines(logging.Formatter):
    """One JSON object per record, one line: time (UTC, ISO 8601), level, logger, message, and,
    when there is one, Django's status_code and the exception's traceback (follow tokens taken
    out). Nothing else from the record: Django attaches the request itself, which is not logged.
    The standard library's json is enough: no dependency for a dozen lines."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if isinstance(getattr(record, "status_code", None), int):
            entry["status_code"] = record.status_code
        if record.exc_info:
            entry["exception"] = without_tokens(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=True)
