"""Anonymous pages come from the shared cache; a staff change shows at once."""

import pytest

from programs.models import Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings, cope_content):
    from portal.pagecache import generation

    settings.PAGE_CACHE_SECONDS = 600
    generation()  # the cache was emptied: this process learns the new generation first


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


# Issue 14: holes an outside security test found in the page cache.


@pytest.fixture
def our_host(settings):
    settings.ALLOWED_HOSTS = ["cope.example.gov", "testserver"]
    settings.SITE_URL = "https://cope.example.gov"


def test_a_cached_page_is_refused_to_a_foreign_host_too(client, page_cache, our_host):
    first = client.get("/", headers={"host": "cope.example.gov"})
    assert client.get("/", headers={"host": "cope.example.gov"})["X-Cache"] == "hit"

    foreign = client.get("/", headers={"host": "evil.example"})
    revalidated = client.get("/", headers={"host": "evil.example", "if-none-match": first["ETag"]})

    assert foreign.status_code == revalidated.status_code == 400


def make_event_and_news():
    from datetime import timedelta

    from django.utils import timezone

    from events.models import Event, NewsPost

    starts = timezone.now() + timedelta(days=7)
    Event.objects.create(
        title="Community walk",
        slug="community-walk",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Linn Park",
        address="710 20th Street North, Birmingham, AL",
        is_published=True,
    )
    NewsPost.objects.create(
        title="News",
        slug="news",
        date=timezone.localdate(),
        summary="A summary.",
        body="A body.",
        is_published=True,
    )


@pytest.mark.parametrize(
    "path",
    [
        "/safety-plan/recommendations.json",
        "/safety-plan/recommendations.csv",
        "/safety-plan/status-updates.json",
        "/safety-plan/datapackage.json",
        "/safety-plan/openapi.json",
        "/data.json",
        "/safety-plan/data/",
        "/safety-plan/feed/",
        "/safety-plan/13/feed/",
        "/news/feed/",
        "/events/calendar.ics",
        "/events/community-walk.ics",
        "/precincts/west.vcf",
        "/precincts/west/",
    ],
)
def test_absolute_urls_come_from_site_url_not_from_the_host_header(
    client, page_cache, our_host, path, django_capture_on_commit_callbacks
):
    make_event_and_news()
    for host in ("cope.example.gov:4444", "cope.example.gov."):
        poisoned = client.get(path, headers={"host": host})
        assert poisoned.status_code == 200, path
        body = poisoned.getvalue()
        assert b":4444" not in body and b"cope.example.gov./" not in body

    later = client.get(path, headers={"host": "cope.example.gov"})

    assert b"https://cope.example.gov/" in later.getvalue()
    assert b":4444" not in later.getvalue() and b"cope.example.gov./" not in later.getvalue()


def test_a_change_made_while_redis_is_away_shows_once_it_is_back(
    client, page_cache, monkeypatch, django_capture_on_commit_callbacks
):
    from portal import pagecache

    backend = pagecache.redis_backend()
    if backend is None:
        pytest.skip("needs the Redis cache (REDIS_URL)")
    client.get("/programs/")
    assert client.get("/programs/")["X-Cache"] == "hit"

    def away(*args, **kwargs):
        raise ConnectionError("Redis away")

    with monkeypatch.context() as outage:  # the write of the new generation fails
        outage.setattr(type(backend), "set_or_raise", away)
        with django_capture_on_commit_callbacks(execute=True):
            Program.objects.filter(slug="ride-along-program").update(summary="Changed offline.")
            pagecache.content_changed()

    response = client.get("/programs/")  # Redis is back

    assert "Changed offline." in response.text and response["X-Cache"] == "miss"


def test_no_copy_is_served_once_older_than_page_cache_seconds(
    client, page_cache, settings, monkeypatch
):
    from portal import pagecache

    settings.PAGE_CACHE_SECONDS = 20
    now = [pagecache.clock()]
    monkeypatch.setattr(pagecache, "clock", lambda: now[0])
    client.get("/programs/")
    # Content that depends on the clock, or a change no generation announced:
    Program.objects.filter(slug="ride-along-program").update(summary="Seen within 20 s.")
    now[0] += 19
    assert client.get("/programs/")["X-Cache"] == "hit"

    now[0] += 2
    response = client.get("/programs/")

    assert response["X-Cache"] == "miss" and "Seen within 20 s." in response.text


def test_generations_never_repeat_after_redis_is_flushed(page_cache):
    from django.core.cache import cache

    from portal.pagecache import bump_generation, generation

    seen = {generation()}
    for _ in range(3):
        cache.clear()  # Redis flushed or restarted: the generation is gone
        seen.add(generation())
        bump_generation()
        seen.add(generation())

    assert len(seen) == 7 and None not in seen


def test_a_flushed_cache_never_brings_an_old_page_back(client, page_cache):
    from django.core.cache import cache

    from portal import pagecache

    if pagecache.redis_backend() is not None:
        pytest.skip("the file cache: every request reads the generation")
    client.get("/programs/")
    Program.objects.filter(slug="ride-along-program").update(summary="After the flush.")
    cache.clear()

    assert "After the flush." in client.get("/programs/").text


def test_only_hx_request_true_selects_the_partial_and_its_cache_entry(client, page_cache):
    for junk in ("false", "1", "yes"):
        client.get("/safety-plan/?status=completed", headers={"hx-request": junk})

    htmx = client.get("/safety-plan/?status=completed", headers={"hx-request": "true"})
    page = client.get("/safety-plan/?status=completed")

    assert "<html" not in htmx.text and "<html" in page.text


def test_a_public_signup_does_not_invalidate_any_page(
    client, page_cache, django_capture_on_commit_callbacks
):
    from portal.pagecache import generation

    client.get("/programs/")
    before = generation()
    chaplain = Program.objects.get(slug="chaplain-program")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/volunteer/",
            {
                "full_name": "Kim Park",
                "email": "kim@example.org",
                "zip_code": "35203",
                "programs": [str(chaplain.pk)],
                "availability": ["weekends"],
                "age_band": "18-or-over",
                "accept_privacy_notice": "on",
                "consent_to_contact": "on",
            },
        )

    assert response.status_code == 302
    assert generation() == before
    assert client.get("/programs/")["X-Cache"] == "hit"


def test_two_deployments_on_one_redis_server_never_invalidate_each_other(settings):
    import time

    from django.core.cache import caches

    from portal import pagecache
    from portal.cache import ForgivingRedisCache

    if pagecache.redis_backend() is None:
        pytest.skip("needs the Redis cache (REDIS_URL)")
    server = caches["default"]._servers[0].rsplit("/", 1)[0]
    prefix = f"two-deployments-{time.monotonic_ns()}"
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    five = ForgivingRedisCache(f"{server}/5", {"KEY_PREFIX": prefix, "OPTIONS": options})
    nine = ForgivingRedisCache(f"{server}/9", {"KEY_PREFIX": prefix, "OPTIONS": options})
    assert pagecache.channel_name(five) != pagecache.channel_name(nine)
    heard = []
    listener = five.client().pubsub()
    listener.subscribe(pagecache.channel_name(five))
    try:
        settings.CACHES = settings.CACHES | {
            "default": {
                "BACKEND": "portal.cache.ForgivingRedisCache",
                "LOCATION": f"{server}/9",
                "KEY_PREFIX": prefix,
                "OPTIONS": options,
            }
        }
        pagecache.bump_generation()  # deployment "9" changes its content
        deadline = time.monotonic() + 1
        while time.monotonic() < deadline:
            message = listener.get_message(timeout=0.1)
            if message and message["type"] == "message":
                heard.append(message)
    finally:
        listener.close()
        five.clear()
        nine.clear()

    assert heard == []


def test_parameters_a_page_never_reads_make_no_new_cache_entry(client, page_cache):
    x_cache = [
        client.get(path)["X-Cache"]
        for path in (
            "/programs/?v=1",
            "/programs/?v=2&utm_source=mail",
            "/programs/",
            "/safety-plan/?status=completed&v=1",
            "/safety-plan/?v=2&status=completed",
        )
    ]

    assert x_cache == ["miss", "hit", "hit", "miss", "hit"]


def test_parameters_a_page_reads_still_tell_its_pages_apart(client, page_cache):
    completed = client.get("/safety-plan/?status=completed&v=1")
    in_progress = client.get("/safety-plan/?status=in-progress&v=1")
    again = client.get("/safety-plan/?v=9&status=in-progress")

    assert in_progress["X-Cache"] == "miss" and again["X-Cache"] == "hit"
    assert in_progress.content == again.content != completed.content


def test_each_process_keeps_a_bounded_number_of_bytes_and_no_big_response(
    rf, page_cache, monkeypatch
):
    from django.http import HttpResponse

    from portal import pagecache

    monkeypatch.setattr(pagecache, "LOCAL_BYTES", 50_000)
    monkeypatch.setattr(pagecache, "LOCAL_MAX_PAGE_BYTES", 20_000)
    sizes = {"/a/": 15_000, "/b/": 15_000, "/c/": 15_000, "/d/": 15_000, "/big/": 30_000}
    middleware = pagecache.PageCacheMiddleware(
        lambda request: HttpResponse(b"x" * sizes[request.path], content_type="text/html")
    )

    for path in sizes:
        assert middleware(rf.get(path))["X-Cache"] == "miss"

    # The body and its compressed copies (portal/compression.py) all count.
    kept = sum(
        len(stored[3]) + sum(len(copy) for copy in stored[4].values())
        for stored in middleware.local.values()
    )
    assert kept == middleware.local_bytes <= 50_000
    assert len(middleware.local) == 3  # the oldest went; the big one was never kept here
    assert middleware(rf.get("/big/"))["X-Cache"] == "hit"  # from the shared cache


@pytest.mark.parametrize("first", ["/programs/", "/es/programs/"])
def test_each_language_has_its_own_cached_page_whichever_is_asked_first(client, page_cache, first):
    """The language is in the address, so in the key: a cached page never answers for the
    page in the other language, whatever the browser's Accept-Language says."""
    other = "/es/programs/" if first == "/programs/" else "/programs/"
    for path in [first, other, first, other]:
        client.get(path, headers={"accept-language": "es" if path == "/programs/" else "en"})

    english = client.get("/programs/", headers={"accept-language": "es"})
    spanish = client.get("/es/programs/", headers={"accept-language": "en"})

    assert english["X-Cache"] == spanish["X-Cache"] == "hit"
    assert b'<html lang="en">' in english.content and b'<html lang="es">' in spanish.content
    assert english["Content-Language"] == "en" and spanish["Content-Language"] == "es"
    assert "Accept-Language" not in english.get("Vary", "")


def test_every_public_page_and_file_without_a_form_is_cached_for_the_next_visitor(
    client, page_cache
):
    """Event and news pages and each event's calendar file included: nothing a visitor can reach
    varies by cookie unless it carries a form that posts (its CSRF token is the visitor's own).
    Downloads are streamed and kept as files of their own (core.downloads), not here."""
    from crawl import crawl

    site = crawl(client)
    assert any(url.startswith("/events/") and url.count("/") == 3 for url in site.pages)
    assert any(url.endswith(".ics") for url in site.files)
    not_kept = {}
    for url, first in (site.pages | site.files).items():
        if first.streaming or b'name="csrfmiddlewaretoken"' in first.content:
            continue
        client.get(url)  # a visit may teach the cache a parameter that the crawl's pages read
        second = client.get(url)
        if second.get("X-Cache") != "hit" or "Cookie" in second.get("Vary", ""):
            not_kept[url] = (second.get("X-Cache"), second.get("Vary"))
    assert not_kept == {}, sorted(not_kept.items())


def test_a_path_keeps_a_bounded_number_of_variants_of_a_parameter_it_reads(
    client, page_cache, monkeypatch
):
    from portal import pagecache

    monkeypatch.setattr(pagecache, "VARIANTS_PER_PATH", 3)
    first = [client.get(f"/safety-plan/?q=word{n}")["X-Cache"] for n in range(5)]
    again = [client.get(f"/safety-plan/?q=word{n}")["X-Cache"] for n in range(5)]

    assert first == ["miss"] * 5
    assert again == ["hit", "hit", "hit", "miss", "miss"]  # the later variants were not kept
    assert client.get("/safety-plan/")["X-Cache"] == "miss"  # the page itself always is
    assert client.get("/safety-plan/")["X-Cache"] == "hit"
