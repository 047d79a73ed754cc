"""What the logs may hold: no query string (a coordinator's search for an email address or a
phone number), no follow token (the manage page shows the follower's address), and no raw
control character (a CR/LF in an address would write a forged line).

Django's development server logs every request line, and Django warns of each 4xx with the
path; gunicorn's access log goes through portal.accesslog, which applies the same rules.
"""

import logging
import re

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
