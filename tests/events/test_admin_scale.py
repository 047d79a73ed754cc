"""Ten years of events and news: the admin's lists answer in the same queries, and pickers of
events, programs, precincts and recommendations search instead of listing every row."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event
from precincts.models import Precinct

pytestmark = pytest.mark.django_db


def queries(client, urls) -> list[int]:
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        counts.append(len(captured))
    return counts


def test_event_and_news_lists_run_the_same_queries_for_5_or_50(
    client, cope_content, editor, make_event, make_post
):
    client.force_login(editor)
    urls = [
        "/staff/events/event/",
        "/staff/events/event/?q=walk",
        "/staff/events/newspost/",
        "/staff/events/newspost/?q=news",
    ]
    north = Precinct.objects.get(slug="north")
    for _ in range(5):
        make_event(precinct=north)
        make_post()
    few = queries(client, urls)
    for _ in range(45):
        make_event(precinct=north)
        make_post()

    assert queries(client, urls) == few
    assert "Searches the title, place" in client.get(urls[1]).text


def test_log_list_runs_the_same_queries_for_5_or_50(admin_client, admin_user, cope_content):
    urls = ["/staff/admin/logentry/", "/staff/admin/logentry/?q=walk"]
    kind = ContentType.objects.get_for_model(Event)

    def log(count):
        LogEntry.objects.bulk_create(
            LogEntry(
                user=admin_user,
                content_type=kind,
                object_id=str(n),
                object_repr=f"Community walk {n}",
                action_flag=CHANGE,
                change_message="Changed the title.",
            )
            for n in range(count)
        )

    log(5)
    few = queries(admin_client, urls)
    log(45)

    assert queries(admin_client, urls) == few


def test_pickers_search_rather_than_list_every_row(client, cope_content, editor, make_event):
    for n in range(30):
        make_event(title=f"Walk number {n}")
    client.force_login(editor)

    news_form = client.get("/staff/events/newspost/add/").text
    event_form = client.get("/staff/events/event/add/").text
    found = client.get(
        "/staff/autocomplete/",
        {"app_label": "events", "model_name": "newspost", "field_name": "events", "term": "17"},
    )

    assert "Walk number 17" not in news_form  # no <option> per event
    for field in ["events", "programs", "recommendations"]:
        assert f'id="id_{field}"' in news_form and "admin-autocomplete" in news_form
    for field in ["precinct", "programs", "recommendations"]:
        assert f'id="id_{field}"' in event_form
    assert "North Precinct" not in event_form.split('id="id_precinct"')[1].split("</select>")[0]
    assert [r["text"] for r in found.json()["results"]] == ["Walk number 17"]
