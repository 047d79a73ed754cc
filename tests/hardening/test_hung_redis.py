"""A hung Redis (it accepts connections and never answers) costs a page almost nothing: after
the one call that meets the timeout, a circuit breaker treats Redis as away until it answers."""

import socket
import threading
import time

import pytest

from programs.models import AgeBand, Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def hung_redis(settings, monkeypatch):
    """A listener that accepts every connection and never says a word; calling the fixture
    points the cache at it, with the production timeouts, and returns the list of the cache
    calls that requests sent over the network (each could wait for the socket timeout)."""
    from portal.cache import ForgivingRedisCache

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held, reached_network = [], []

    def accept():
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    port = listener.getsockname()[1]
    through_breaker = ForgivingRedisCache.through_breaker

    def counted(self, function, *args, **kwargs):
        if not self.breaker.is_open and threading.current_thread() is threading.main_thread():
            reached_network.append(getattr(function, "__name__", "call"))
        return through_breaker(self, function, *args, **kwargs)

    def hang():
        settings.CACHES = settings.CACHES | {
            "default": {
                "BACKEND": "portal.cache.ForgivingRedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
        monkeypatch.setattr(ForgivingRedisCache, "through_breaker", counted)
        return reached_network

    yield hang
    listener.close()
    for connection in held:
        connection.close()


def test_pages_health_and_signups_wait_for_a_hung_redis_once(
    client, cope_content, settings, hung_redis
):
    """Only the first cache call meets the hung Redis: every later page, the health check and a
    second sign-up are served without a network call that could wait for the timeout (counted,
    not timed: a loaded machine changes durations, not the count)."""
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
    reached_network = hung_redis()

    first = client.post("/volunteer/", signup)
    assert first.status_code == 302
    assert len(reached_network) == 1, reached_network
    pages = [client.get("/programs/") for _ in range(8)]
    health = client.get("/healthz")
    second = client.post("/volunteer/", signup)

    assert all(r.status_code == 200 for r in pages)
    assert health.status_code == 503
    assert second.status_code == 302
    assert len(reached_network) == 1, f"later calls waited on the hung Redis: {reached_network}"


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
