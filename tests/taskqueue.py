"""The real task queue in tests: django-tasks-db's own worker, run in the test's process."""

from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.core.management import call_command

# The test's clock (tests/follow/conftest.py), moved on as time passes in the story.
clock = None


def run_worker() -> None:
    """`manage.py db_worker --batch`: every task due now, then it stops.

    The worker closes "old" database connections as a long-lived process should; inside a test
    the connection holds the test's transaction (on PostgreSQL closing it would end the test's
    transaction), so here that housekeeping is left out, as Django's test client does too.
    """
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command(
            "db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0
        )


def wait(seconds: float) -> None:
    clock.shift(timedelta(seconds=seconds))


def tell_followers() -> None:
    """The undo window passes and the worker runs."""
    wait(settings.FOLLOW_NOTICE_DELAY + 1)
    run_worker()
