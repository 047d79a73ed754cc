"""gunicorn's access log (gunicorn.conf.py names this logger): every value escaped to one line
and without follow tokens, by the rules of portal.logfilters. With LOG_FORMAT=json, gunicorn's
access and error lines are JSON lines too, as the portal's own log."""

import os

from gunicorn.glogging import Logger

from portal.logfilters import JsonLines, escaped, without_tokens


class AccessLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        if os.environ.get("LOG_FORMAT") == "json":
            for log in (self.error_log, self.access_log):
                for handler in log.handlers:
                    handler.setFormatter(JsonLines())

    def atoms(self, resp, req, environ, request_time):
        return {
            name: without_tokens(escaped(value)) if isinstance(value, str) else value
            for name, value in super().atoms(resp, req, environ, request_time).items()
        }
