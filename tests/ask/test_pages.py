"""The request pages in the states the crawl cannot reach (a POST with errors, over the limit,
the thanks page): whole, safe, in both languages and valid HTML. Their GET pages are crawled
from the program and precinct pages that link to them."""

import datetime
import json
import subprocess

import pytest
import time_machine
from factories import EventFactory, speaker_form, walk_form
from test_crawl import page_problems

from ask.models import Registration
from programs.models import Program

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_day():
    with time_machine.travel(datetime.datetime(2027, 3, 10, 18, 0, tzinfo=datetime.UTC)):
        yield


def request_pages(client, settings) -> dict:
    """Each state of the forms, by language: error, thanks, over the limit."""
    pages = {}
    # Requirements staff wrote (in English only) are shown before the forms.
    Program.objects.filter(slug__in=["speaking-engagements", "community-police-academy"]).update(
        requirements_en="18 or over.\n\nA background check."
    )
    for language in ["", "/es"]:
        typed = {"topics": "Seguridad", "needs": "Intérprete"} if language else {}
        speaker = f"{language}/programs/speaking-engagements/request/"
        walk = f"{language}/precincts/west/request-walk/"
        pages[speaker + "#errors"] = (
            speaker,
            client.post(speaker, speaker_form(place="", **typed)),
        )
        pages[walk + "#errors"] = (walk, client.post(walk, walk_form(kind="", email="", **typed)))
        sent = client.post(walk, walk_form())
        pages[sent["Location"]] = (sent["Location"], client.get(sent["Location"]))
    academy = EventFactory(
        title="Community Police Academy",
        starts_at=datetime.datetime(2027, 3, 20, 23, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2027, 3, 21, 1, 0, tzinfo=datetime.UTC),
        capacity=1,
    )
    academy.programs.add(Program.objects.get(slug="community-police-academy"))
    for language in ["", "/es"]:
        event = f"{language}/events/{academy.slug}/"
        register = event + "register/"
        pages[event] = (event, client.get(event))
        pages[register] = (register, client.get(register))
        pages[register + "#errors"] = (register, client.post(register, {"full_name": "Ana"}))
        sent = client.post(
            register, {"full_name": "Ana", "email": "ana@example.org", "accept_privacy_notice": "1"}
        )
        pages[sent["Location"]] = (sent["Location"], client.get(sent["Location"]))
        pages[event + "#full"] = (event, client.get(event))
        cancel = language + Registration.objects.latest("pk").get_cancel_url()
        pages[cancel] = (cancel, client.get(cancel))
        pages[cancel + "#done"] = (cancel, client.post(cancel))
    settings.REQUESTS_PER_HOUR = 0
    speaker = "/es/programs/speaking-engagements/request/"
    typed = {"topics": "Seguridad", "needs": "Intérprete"}
    pages[speaker + "#limited"] = (speaker, client.post(speaker, speaker_form(**typed)))
    return pages


def test_every_state_of_the_request_pages_is_whole_safe_and_valid_html(
    client, cope_content, settings, vnu, tmp_path
):
    pages = request_pages(client, settings)

    statuses = {name: response.status_code for name, (_, response) in pages.items()}
    assert sorted(statuses.values()) == [200] * 14 + [422] * 6 + [429]
    problems = {}
    for index, (name, (url, response)) in enumerate(pages.items()):
        found = [p for p in page_problems(response, url) if not p.startswith("status 4")]
        if found:
            problems[name] = found
        (tmp_path / f"page{index}.html").write_bytes(response.content)
    assert problems == {}
    result = subprocess.run([*vnu, str(tmp_path)], capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert [m["message"] for m in messages if m.get("type") == "error"] == []
