"""Site-wide middleware: the maintenance page when the site is closed or the database away."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError

from portal.errors import service_unavailable

logger = logging.getLogger(__name__)


class ServiceUnavailableMiddleware:
    """Answer 503 with the maintenance page in maintenance mode or when the database is away.

    Nothing is kept between requests, so the site recovers by itself once the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.MAINTENANCE_MODE and not request.path.startswith("/healthz"):
            return service_unavailable(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            logger.error("database unavailable: %s", type(exception).__name__)
            return service_unavailable(request)
        return None
