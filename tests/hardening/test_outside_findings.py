"""The holes an outside black-box test found (issue 24), each pinned where a person meets it."""

import pytest
from factories import StatusUpdateFactory

from recommendations.models import Recommendation, Status

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "portal.cache.ForgivingRedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}
PLAN_DOWNLOADS = [
    "/safety-plan/status-updates.csv",
    "/safety-plan/status-updates.json",
    "/safety-plan/recommendations.csv",
]


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


@pytest.mark.django_db
def test_downloads_include_a_change_recorded_while_the_cache_was_away(
    client, cope_content, settings, django_capture_on_commit_callbacks
):
    for url in PLAN_DOWNLOADS:
        body(client.get(url))  # built, then sent from their files
        assert "Funding approved by the council." not in body(client.get(url))
    working_cache = settings.CACHES

    settings.CACHES = UNREACHABLE_REDIS
    with django_capture_on_commit_callbacks(execute=True):
        StatusUpdateFactory(
            recommendation=Recommendation.objects.get(number=20),
            status=Status.COMPLETED,
            note="Funding approved by the council.",
        )
    settings.CACHES = working_cache

    for url in PLAN_DOWNLOADS[:2]:
        assert "Funding approved by the council." in body(client.get(url)), url
    assert "Funding approved by the council." in body(client.get(PLAN_DOWNLOADS[2]))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/follow/manage/%00/",
        "/follow/unsubscribe/%00/",
        "/follow/confirm/%00/",
        "/follow/manage/abc%00def/",
        "/es/follow/manage/%00/",
        "/safety-plan/%00/",
        "/precincts/%00/",
        "/news/%00/",
    ],
)
def test_a_nul_in_the_address_is_a_404_that_never_reaches_the_database(client, path):
    """PostgreSQL refuses a NUL in text (a 500): such an address is refused before any query,
    on any backend (SQLite would take the NUL and cut the text there)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)

    assert response.status_code == 404
    assert not queries.captured_queries
