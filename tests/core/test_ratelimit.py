"""Rate limits keep the window they started, on the laptop's file cache as on Redis."""

from datetime import UTC, datetime, timedelta

import time_machine

from core.ratelimit import hashed_key, take

DAY = 86400


def test_a_days_window_on_the_file_cache_lasts_a_day_not_five_minutes(settings, tmp_path):
    settings.CACHES = settings.CACHES | {  # the laptop default, whatever this run's cache
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": tmp_path / "cache",
        }
    }
    key = hashed_key("test-window", "kim@example.org")
    start = datetime(2028, 3, 1, 0, 30, tzinfo=UTC)

    with time_machine.travel(start, tick=False) as clock:
        assert [take(key, limit=2, seconds=DAY) for _ in range(2)] == [True, True]
        clock.move_to(start + timedelta(minutes=10))
        refused_later = take(key, limit=2, seconds=DAY)
        clock.move_to(start + timedelta(hours=23, minutes=59))
        refused_at_the_end = take(key, limit=2, seconds=DAY)
        clock.move_to(start + timedelta(days=1, seconds=1))
        new_window = [take(key, limit=2, seconds=DAY) for _ in range(3)]

    assert refused_later is False and refused_at_the_end is False
    assert new_window == [True, True, False]
