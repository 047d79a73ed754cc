"""gunicorn reads this file from the directory it starts in (`make run`, production, tests).

The access log holds no personal data: no client address, no query string (a coordinator's
search for an email address or a phone number is in it), no referrer, no user agent. Only
the time, the method, the path, the status, the size and how long it took. The path has its
control characters escaped (one request, one line) and no follow token (portal.accesslog).
"""

logger_class = "portal.accesslog.AccessLogger"

access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
