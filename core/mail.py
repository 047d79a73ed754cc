"""Email the portal sends, written by the standards mail providers check.

`List-Unsubscribe` and `List-Id` are written raw (RFC 2369 wants a plain `<URL>`; Python's
email policy would otherwise fold a long URL into RFC 2047 encoded words that Gmail and Yahoo
cannot read), Message-IDs name the portal's host, and every header value is one line.
"""

import email.policy
import unicodedata
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage

# Headers whose value is ASCII by construction and must reach the reader exactly as written.
RAW_HEADERS = {"list-unsubscribe", "list-unsubscribe-post", "list-id"}


def one_line(value) -> str:
    """A header value on one line: line breaks, separators (U+2028, U+2029) and control
    characters become spaces, so no value can break or forge a header."""
    text = "".join(
        " " if unicodedata.category(char) in {"Cc", "Zl", "Zp"} or char in "\x85" else char
        for char in str(value)
    )
    return " ".join(text.split())


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


class StandardPolicy(email.policy.EmailPolicy):
    """Python's policy, except that the raw headers are written as given, never folded."""

    def fold(self, name, value):
        if name.lower() in RAW_HEADERS:
            return f"{name}: {one_line(value)}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if name.lower() in RAW_HEADERS:
            return f"{name}: {one_line(value)}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


class StandardEmail(EmailMessage):
    """An automatic email: `Auto-Submitted`, the language it is written in, a Message-ID at
    the portal's host, and headers that stay on one line whatever they were given."""

    def __init__(self, *, subject, language, headers=None, **kwargs):
        headers = {
            "Auto-Submitted": "auto-generated",
            "Content-Language": language,
            "Message-ID": make_msgid(domain=site_host()),
            **(headers or {}),
        }
        super().__init__(
            subject=one_line(subject),
            headers={name: one_line(value) for name, value in headers.items()},
            **kwargs,
        )

    def message(self, *, policy=email.policy.default):
        standard = StandardPolicy().clone(
            linesep=policy.linesep, utf8=policy.utf8, max_line_length=policy.max_line_length
        )
        return super().message(policy=standard)


def failure_reason(error: Exception, message: EmailMessage) -> str:
    """Why a message could not be built or sent, to record beside it: the error, with the
    message's addresses taken out (the reason may be shown to staff or logged)."""
    reason = f"{type(error).__name__}: {error}"
    for address in [*message.to, *message.cc, *message.bcc]:
        reason = reason.replace(address, "<address>").replace(repr(address)[1:-1], "<address>")
    return reason[:200]
