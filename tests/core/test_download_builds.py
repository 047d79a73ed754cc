"""A download is built once per change, however many ask for it at once; polling it costs a 304;
?since= maps any date onto a bounded set of files."""

import gzip
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.http import FileResponse
from django.utils import timezone

from core import downloads
from recommendations.models import Recommendation, Status
from recommendations.services import record_status_update


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


class Builds:
    """The content of a download, counting its builds; each build can be held half-way."""

    def __init__(self, text=b"number,status\n1,done\n"):
        self.text, self.count = text, 0
        self.half_way = threading.Event()
        self.go_on = threading.Event()
        self.go_on.set()

    def __call__(self):
        self.count += 1
        self.half_way.set()
        yield self.text[:7]
        assert self.go_on.wait(20)
        yield self.text[7:]


@pytest.fixture
def versions(monkeypatch, db):  # db: a response's close() ends the request (signals)
    """The content's version, set by the test (the database's is read in the other tests)."""
    current = {"token": "a" * 32, "changed_at": datetime(2026, 11, 30, 15, 0, tzinfo=UTC)}
    monkeypatch.setattr(
        downloads, "version", lambda name: (current["token"], current["changed_at"])
    )
    return current


def ask(rf, builds, *, headers=None, kept=None, variant="plan.csv"):
    return downloads.serve(
        rf.get("/safety-plan/plan.csv", headers=headers or {}),
        name="plan",
        variant=variant,
        chunks=builds,
        content_type="text/csv",
        filename="plan.csv",
        kept=kept,
    )


def test_concurrent_requests_for_a_new_file_build_it_once(rf, versions):
    builds = Builds()
    builds.go_on.clear()  # the first request's build is slow
    first = ask(rf, builds)
    sent = iter(first.streaming_content)
    received = [next(sent)]  # the build is under way
    assert builds.half_way.wait(5)

    answers = []
    waiting = [
        threading.Thread(target=lambda h=h: answers.append(ask(rf, builds, headers=h)))
        for h in ({}, {"accept-encoding": "gzip"}, {}, {"accept-encoding": "gzip, br"})
    ]
    for thread in waiting:
        thread.start()
    builds.go_on.set()
    received.extend(sent)
    first.close()
    for thread in waiting:
        thread.join(30)

    assert builds.count == 1
    assert b"".join(received) == builds.text
    # each sent the built file (one that looked just as the build ended streams it from disk)
    assert len(answers) == 4
    texts = [
        gzip.decompress(body(a)) if a.get("Content-Encoding") == "gzip" else body(a)
        for a in answers
    ]
    assert texts == [builds.text] * 4


def test_while_a_changed_file_is_built_others_get_the_previous_one_marked_as_such(rf, versions):
    old = Builds(b"number,status\n1,planned\n")
    body(ask(rf, old))  # the file of the first version
    versions["token"] = "b" * 32  # staff post an update: a new version
    new = Builds()
    new.go_on.clear()
    building = ask(rf, new)
    sent = iter(building.streaming_content)
    next(sent)

    meanwhile = ask(rf, new)

    assert isinstance(meanwhile, FileResponse) and body(meanwhile) == old.text
    assert meanwhile["Cache-Control"] == "no-cache" and "Last-Modified" not in meanwhile
    assert meanwhile["ETag"] != building["ETag"]  # never taken for the new file
    new.go_on.set()
    assert b"".join([b"number,", *sent]) == new.text
    building.close()
    after = ask(rf, new)
    assert body(after) == new.text and after["ETag"] == building["ETag"]
    assert (old.count, new.count) == (1, 1)


def test_a_client_waits_for_a_build_and_is_told_to_retry_if_it_takes_too_long(
    rf, versions, monkeypatch
):
    monkeypatch.setattr(downloads, "BUILD_WAIT_SECONDS", 0.3)
    builds = Builds()
    builds.go_on.clear()
    building = ask(rf, builds)
    next(iter(building.streaming_content))

    later = ask(rf, builds)

    assert later.status_code == 503 and later["Retry-After"] == "10"
    assert "being prepared" in later.content.decode()
    assert builds.count == 1
    builds.go_on.set()
    building.close()


def test_a_family_of_variants_keeps_only_its_newest_files(rf, versions):
    for day in ["2026-11-01", "2026-11-02", "2026-11-03"]:
        body(ask(rf, Builds(day.encode()), variant=f"plan.csv?since={day}", kept=2))

    folder = downloads.directory() / "variants" / "plan"
    kept = sorted(f.read_bytes() for f in folder.iterdir() if downloads.is_complete_file(f))
    assert kept == [b"2026-11-02", b"2026-11-03"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["status-updates.csv", "recommendations.json"])
def test_polling_a_download_costs_a_304_until_the_plan_changes(client, cope_content, name):
    url = f"/safety-plan/{name}"
    first = client.get(url)
    text = body(first)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and "max-age" in first["Cache-Control"]

    again = client.get(url, headers={"if-none-match": etag})
    since_then = client.get(url, headers={"if-modified-since": modified})
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
    assert since_then.status_code == 304

    record_status_update(
        recommendation=Recommendation.objects.get(number=38),
        status=Status.COMPLETED,
        note="Finished.",
    )
    downloads.renew("recommendations")  # what the commit does (the test never commits)

    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert body(changed) != text


@pytest.mark.django_db
def test_any_since_date_maps_onto_a_file_per_day_of_the_log(client, cope_content):
    today = timezone.localdate()
    record_status_update(
        recommendation=Recommendation.objects.get(number=38),
        status=Status.COMPLETED,
        note="Finished.",
    )
    downloads.renew("recommendations")

    def get(since):
        response = client.get(f"/safety-plan/status-updates.json?since={since}")
        return response["ETag"], body(response)

    answers = [get(since) for since in ["2000-01-01", "1999-12-31", "0001-01-01", today]]
    futures = [get(since) for since in [today + timedelta(days=2), "9999-12-31"]]

    assert len(set(answers)) == 1 and b"Finished." in answers[0][1]  # the same rows: one file
    assert len(set(futures)) == 1 and b'"status_updates": [\n ]' in futures[0][1]
    folder = downloads.directory() / "variants" / "recommendations"
    assert len([f for f in folder.iterdir() if downloads.is_complete_file(f)]) == 2


# A client that loops on a file ---------------------------------------------------------------


def test_a_client_looping_on_a_file_is_stopped_at_its_budget_and_others_are_not(
    client, cope_content, settings
):
    from django.core.cache import cache

    cache.clear()
    settings.DOWNLOAD_MB_PER_MINUTE = 1  # a million bytes a minute
    path = "/safety-plan/status-updates.csv"
    size = len(body(client.get(path, REMOTE_ADDR="203.0.113.7")))  # built: not counted
    sent = 0
    for _ in range(1_000_000 // size + 1):  # from its file, each counted
        response = client.get(path, REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 200
        sent += len(body(response))
    assert sent >= 1_000_000

    refused = client.get(path, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60" and refused["Cache-Control"] == "no-store"
    assert "try again in a minute" in refused.content.decode()
    assert "Inténtelo de nuevo en un minuto" in refused.content.decode()
    # the budget is the client's: someone else, and the other files' pages, are served
    assert client.get(path, REMOTE_ADDR="198.51.100.4").status_code == 200
    assert client.get("/safety-plan/", REMOTE_ADDR="203.0.113.7").status_code == 200


def test_revalidating_a_file_costs_no_budget(client, cope_content, settings):
    from django.core.cache import cache

    cache.clear()
    settings.DOWNLOAD_MB_PER_MINUTE = 1
    path = "/safety-plan/status-updates.json"
    first = client.get(path, REMOTE_ADDR="203.0.113.8")
    body(first)
    for _ in range(200):  # a poller that asks with the ETag it holds: a 304 each time
        again = client.get(path, REMOTE_ADDR="203.0.113.8", HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
    assert client.get(path, REMOTE_ADDR="203.0.113.8").status_code == 200
