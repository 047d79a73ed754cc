"""How many people will be told of a change, counted by the app that keeps followers.

The domain apps sit below the follow app and cannot import it; it registers its counter here
when it is installed, and a staff page asks `followers_of(thing)` (0 when nobody counts).
"""

from collections.abc import Callable

_counters: list[Callable[[object], int]] = []


def register(counter: Callable[[object], int]) -> None:
    if counter not in _counters:
        _counters.append(counter)


def followers_of(thing) -> int:
    """How many followers a change to `thing` (a recommendation, say) will be told of."""
    return sum(counter(thing) for counter in _counters)
