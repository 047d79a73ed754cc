"""The real task queue in tests: django-tasks-db's own worker, run in the test's process."""

from datetime import timedelta

from django.conf import settings
from django.core.management import call_command

# The test's clock (tests/follow/conftest.py), moved on as time passes in the story.
clock = None


def run_worker() -> None:
    """`manage.py db_worker --batch`: every task due now, then it stops."""
    call_command(
        "db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0
    )


def wait(seconds: float) -> None:
    clock.shift(timedelta(seconds=seconds))


def tell_followers() -> None:
    """The undo window passes and the worker runs."""
    wait(settings.FOLLOW_NOTICE_DELAY + 1)
    run_worker()
