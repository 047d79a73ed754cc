"""gunicorn's access log (gunicorn.conf.py names this logger): every value escaped to one line
and without follow tokens, by the rules of portal.logfilters."""

from gunicorn.glogging import Logger

from portal.logfilters import escaped, without_tokens


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        return {
            name: without_tokens(escaped(value)) if isinstance(value, str) else value
            for name, value in super().atoms(resp, req, environ, request_time).items()
        }
