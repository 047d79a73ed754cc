"""A hung Redis (it accepts connections and never answers) costs a page almost nothing: after
the one call that meets the timeout, a circuit breaker treats Redis as away until it answers."""

import socket
import statistics
import threading
import time

import pytest

from programs.models import AgeBand, Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def hung_redis(settings):
    """A listener that accepts every connection and never says a word; calling the fixture
    points the cache at it, with the production timeouts."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held = []

    def accept():
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    port = listener.getsockname()[1]

    def hang():
        settings.CACHES = {
            "default": {
                "BACKEND": "portal.cache.ForgivingRedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }

    yield hang
    listener.close()
    for connection in held:
        connection.close()


def timed(get):
    started = time.perf_counter()
    response = get()
    return time.perf_counter() - started, response


def test_pages_health_and_signups_stay_quick_while_redis_hangs(
    client, cope_content, settings, hung_redis
):
    settings.PAGE_CACHE_SECONDS = 0
    normal = statistics.median(timed(lambda: client.get("/programs/"))[0] for _ in range(5))
    settings.PAGE_CACHE_SECONDS = 600
    chaplain = Program.objects.get(slug="chaplain-program")
    signup = {
        "full_name": "Kim Park",
        "email": "kim@example.org",
        "zip_code": "35203",
        "programs": [str(chaplain.pk)],
        "availability": ["weekends"],
        "age_band": AgeBand.ADULT,
        "accept_privacy_notice": "on",
        "consent_to_contact": "on",
    }

    hung_redis()

    first_signup, response = timed(lambda: client.post("/volunteer/", signup))
    assert response.status_code == 302
    pages = [timed(lambda: client.get("/programs/")) for _ in range(8)]
    health, health_response = timed(lambda: client.get("/healthz"))
    second_signup, response = timed(lambda: client.post("/volunteer/", signup))

    assert first_signup < 1 and second_signup < 1
    assert all(r.status_code == 200 for _, r in pages)
    assert statistics.median(t for t, _ in pages) <= normal + 0.05
    assert max(t for t, _ in pages) < 0.4  # no page waits for a timeout
    assert health_response.status_code == 503 and health < normal + 0.05
    assert response.status_code == 302


def test_the_breaker_closes_once_redis_answers_again(settings):
    from django.core.cache import caches

    from portal.cache import PROBE_INTERVAL, ForgivingRedisCache

    backend = caches["default"]
    if not isinstance(backend, ForgivingRedisCache):
        pytest.skip("needs the Redis cache (REDIS_URL)")
    backend.breaker.trip(lambda: backend.client().ping())  # as after a timeout

    assert backend.is_away and backend.get("anything", "missed") == "missed"
    deadline = time.monotonic() + 5 * PROBE_INTERVAL
    while backend.is_away and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not backend.is_away
