import pytest
import time_machine
from django.utils import timezone

from tests import taskqueue


@pytest.fixture(autouse=True)
def clock():
    """A clock the story moves on (an undo window passing), ticking as usual in between."""
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        taskqueue.clock = traveller
        yield traveller
        taskqueue.clock = None
