"""Anonymous pages come from the shared cache; a staff change shows at once."""

import pytest

from programs.models import Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings, cope_content):
    settings.PAGE_CACHE_SECONDS = 600


def test_second_anonymous_visit_is_served_from_the_cache_without_queries(
    client, page_cache, django_assert_num_queries
):
    first = client.get("/programs/")

    with django_assert_num_queries(0):
        second = client.get("/programs/")

    assert first["X-Cache"] == "miss" and second["X-Cache"] == "hit"
    assert second.content == first.content
    assert "max-age=0" in second["Cache-Control"] and "must-revalidate" in second["Cache-Control"]


def test_a_staff_change_shows_at_once(client, page_cache, django_capture_on_commit_callbacks):
    client.get("/programs/")

    with django_capture_on_commit_callbacks(execute=True):
        program = Program.objects.get(slug="ride-along-program")
        program.summary = "Ride with an officer on patrol."
        program.save()

    response = client.get("/programs/")
    assert response["X-Cache"] == "miss"
    assert "Ride with an officer on patrol." in response.text


def test_signed_in_staff_never_get_a_cached_page(client, admin_user, page_cache):
    client.get("/programs/")
    client.force_login(admin_user)

    response = client.get("/programs/")

    assert "X-Cache" not in response


def test_the_form_page_with_its_csrf_token_is_never_cached(client, page_cache):
    client.get("/volunteer/")

    response = client.get("/volunteer/")

    assert "X-Cache" not in response
    assert "csrfmiddlewaretoken" in response.text


def test_htmx_requests_are_cached_apart_from_full_pages(client, page_cache):
    client.get("/programs/")

    htmx = client.get("/programs/", headers={"hx-request": "true"})

    assert htmx["X-Cache"] == "miss"
    assert "HX-Request" in htmx["Vary"]


def test_conditional_get_answers_304(client, page_cache):
    etag = client.get("/programs/")["ETag"]

    response = client.get("/programs/", headers={"if-none-match": etag})

    assert response.status_code == 304


def test_pages_are_still_served_uncached_while_redis_is_away(client, page_cache, redis_away):

    first = client.get("/programs/")
    second = client.get("/programs/")

    assert first.status_code == second.status_code == 200
    assert second.get("X-Cache") != "hit"  # nothing served from a cache it cannot check
