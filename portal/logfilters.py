"""Log records without query strings: a search for an email address or a phone number in the
staff admin must not land in the log (Django's development server logs every request line)."""

import logging
import re

QUERY_STRING = re.compile(r"\?[^\s\"']*")


class NoQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "?" in message:
            record.msg, record.args = QUERY_STRING.sub("?…", message), None
        return True
