"""The public event and news pages: upcoming then past, filters, cancelled, preview, counts."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from factories import StaffFactory

from events.models import Event
from precincts.models import Precinct
from programs.models import Program
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=CHICAGO)


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def titles_in(response, section_id):
    heading = soup_of(response).find(id=section_id)
    if heading is None:
        return []
    return [a.get_text(strip=True) for a in heading.parent.select("h3 a")]


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def around_now(make_event):
    """Two events before NOW, one under way at NOW and two after."""
    for title, days in [("Old", -30), ("Recent", -2), ("Later", 20), ("Sooner", 3)]:
        make_event(title=title, starts_at=NOW + timedelta(days=days))
    make_event(
        title="Under way", starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(hours=1)
    )


def test_queryset_splits_upcoming_and_past_around_the_given_now(around_now):
    upcoming = [e.title for e in Event.objects.upcoming(NOW)]
    past = [e.title for e in Event.objects.past(NOW)]
    both = [e.title for e in Event.objects.upcoming_then_past(NOW)]

    assert upcoming == ["Under way", "Sooner", "Later"]
    assert past == ["Recent", "Old"]
    assert both == upcoming + past


def test_list_shows_upcoming_soonest_first_then_past_latest_first(client, frozen, around_now):
    response = client.get("/events/")

    assert response.status_code == 200
    assert titles_in(response, "upcoming-heading") == ["Under way", "Sooner", "Later"]
    assert titles_in(response, "past-heading") == ["Recent", "Old"]


def test_an_event_moves_to_past_once_it_is_over(client, monkeypatch, around_now):
    monkeypatch.setattr(timezone, "now", lambda: NOW + timedelta(days=10))

    response = client.get("/events/")

    assert titles_in(response, "upcoming-heading") == ["Later"]
    assert titles_in(response, "past-heading") == ["Sooner", "Under way", "Recent", "Old"]


def test_cancelled_event_stays_listed_and_says_so_loudly(client, make_event):
    make_event(title="Walk in Ensley", slug="walk-ensley", is_cancelled=True)

    listing = client.get("/events/")
    page = client.get("/events/walk-ensley/")

    assert "Cancelled: Walk in Ensley" in titles_in(listing, "upcoming-heading")
    assert soup_of(page).h1.get_text() == "Cancelled: Walk in Ensley"
    assert "This event is cancelled" in soup_of(page).select_one(".cancelled-banner").text
    assert soup_of(page).title.get_text().startswith("Cancelled: Walk in Ensley · COPE")


def summary_text(response, slug) -> str:
    link = soup_of(response).find("a", href=f"/events/{slug}/") or soup_of(response).find(
        "a", href=f"/es/events/{slug}/"
    )
    return " ".join(link.find_parent("article").get_text().split())


def test_a_summary_follows_each_change_staff_make_while_the_list_stays_warm(
    client, monkeypatch, make_event
):
    """The summaries are kept per process (events.templatetags.events): each change of what one
    shows, saved or written past the model, shows on the next render of the list."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    event = make_event(
        title="Walk in Ensley",
        slug="walk-ensley",
        starts_at=NOW + timedelta(days=3),
        ends_at=NOW + timedelta(days=3, hours=2),
    )
    assert summary_text(client.get("/events/"), "walk-ensley").startswith("Walk in Ensley")

    event.starts_at += timedelta(days=1)
    event.ends_at += timedelta(days=1)
    event.place, event.title_es = "Ensley Park", "Caminata en Ensley"
    event.save()
    english = summary_text(client.get("/events/"), "walk-ensley")
    spanish = summary_text(client.get("/es/events/"), "walk-ensley")
    assert "Friday, June 5, 2026" in english and "Ensley Park" in english
    assert "Linn Park" not in english
    assert spanish.startswith("Caminata en Ensley") and "viernes 5 de junio de 2026" in spanish

    Event.objects.filter(pk=event.pk).update(is_cancelled=True)  # past save(): no updated_at
    assert summary_text(client.get("/events/"), "walk-ensley").startswith(
        "Cancelled: Walk in Ensley Cancelled"
    )


def test_a_weekly_meetings_summary_moves_on_to_its_next_date(client, monkeypatch, make_event):
    make_event(
        title="East coffee",
        slug="east-coffee",
        starts_at=datetime(2026, 6, 2, 9, 0, tzinfo=CHICAGO),
        ends_at=datetime(2026, 6, 2, 10, 0, tzinfo=CHICAGO),
        repeats="weekly",
        repeat_until=datetime(2026, 7, 31).date(),
    )
    shown = []
    for day in (1, 3, 10):
        monkeypatch.setattr(timezone, "now", lambda day=day: NOW.replace(day=day))
        shown.append(summary_text(client.get("/events/"), "east-coffee"))

    assert "Tuesday, June 2, 2026" in shown[0]
    assert "Tuesday, June 9, 2026" in shown[1]
    assert "Tuesday, June 16, 2026" in shown[2]


def test_detail_gives_calendar_directions_and_related_items(client, cope_content, make_event):
    event = make_event(title="North walk", slug="north-walk")
    event.precinct = Precinct.objects.get(slug="north")
    event.save()
    event.programs.set([Program.objects.get(slug="ride-along-program")])
    event.recommendations.set([Recommendation.objects.get(number=5)])

    soup = soup_of(client.get("/events/north-walk/"))

    links = {a.get_text(strip=True): a["href"] for a in soup.main.find_all("a")}
    assert links["Add to your calendar"] == "/events/north-walk.ics"
    assert links["Directions"].startswith("https://www.google.com/maps/dir/?api=1&destination=")
    assert "710+20th+Street+North" in links["Directions"]
    assert links["Open in your map app"].startswith("geo:0,0?q=710%2020th%20Street%20North")
    assert links["North Precinct"] == "/precincts/north/"
    assert links["Ride-along Program"] == "/programs/ride-along-program/"
    assert "/safety-plan/5/" in links.values()
    assert not soup.find("script", src=True) or "map" not in str(soup.find("script", src=True))


def test_filters_by_precinct_and_program(client, cope_content, make_event):
    north = make_event(title="North walk", precinct=Precinct.objects.get(slug="north"))
    make_event(title="West walk", precinct=Precinct.objects.get(slug="west"))
    north.programs.set([Program.objects.get(slug="ride-along-program")])

    by_precinct = client.get("/events/?precinct=north")
    by_program = client.get("/events/?program=ride-along-program")

    assert titles_in(by_precinct, "upcoming-heading") == ["North walk"]
    assert titles_in(by_program, "upcoming-heading") == ["North walk"]
    assert soup_of(by_precinct).title.get_text().startswith("Filtered: Events")


@pytest.mark.parametrize(
    "query",
    [
        "precinct=nowhere",
        "program=%00",
        "precinct=north%00&program=" + "x" * 5000,
        "program=1e309&precinct=99999999999999999999999",
    ],
)
def test_bad_filters_are_ignored_with_a_message(client, cope_content, make_event, query):
    make_event(title="Any walk")

    response = client.get(f"/events/?{query}")

    assert response.status_code == 200
    assert "We could not use some of the filters" in response.text
    assert titles_in(response, "upcoming-heading") == ["Any walk"]


def test_a_valid_filter_still_applies_beside_a_bad_one(client, cope_content, make_event):
    make_event(title="North walk", precinct=Precinct.objects.get(slug="north"))
    make_event(title="West walk", precinct=Precinct.objects.get(slug="west"))

    response = client.get("/events/?precinct=north&program=nope")

    assert titles_in(response, "upcoming-heading") == ["North walk"]
    assert "Program: there is no such program" in response.text


@pytest.mark.parametrize(
    ("page", "shown"),
    [("abc", 1), ("", 1), ("%00", 1), ("-1", 1), ("1e309", 1), ("2", 2), ("999999999999999", 2)],
)
def test_bad_page_numbers_give_the_first_or_last_page(client, make_event, page, shown):
    for n in range(25):
        make_event(starts_at=timezone.now() + timedelta(days=n + 1))

    response = client.get(f"/events/?page={page}")

    assert response.status_code == 200
    assert f"Page {shown} of 2" in response.text


def test_pagination_keeps_the_filters(client, cope_content, make_event):
    north = Precinct.objects.get(slug="north")
    for n in range(25):
        make_event(precinct=north, starts_at=timezone.now() + timedelta(days=n + 1))

    soup = soup_of(client.get("/events/?precinct=north"))

    assert soup.find("a", rel="next")["href"] == "?precinct=north&page=2"


@pytest.mark.parametrize("language", ["", "/es"])
def test_list_runs_the_same_queries_however_many_events(
    client, cope_content, make_event, django_assert_max_num_queries, language
):
    make_event(precinct=Precinct.objects.get(slug="north"))
    # precincts and programs for the form, one count of both parts, then the page's upcoming
    # and past events (with precincts), each by its own index (a part not on the page: no query)
    with django_assert_max_num_queries(5):
        client.get(f"{language}/events/")
    ride_along = Program.objects.get(slug="ride-along-program")
    for n in range(15):
        event = make_event(precinct=Precinct.objects.get(slug="west"), is_cancelled=n % 2 == 0)
        event.programs.set([ride_along])
    with django_assert_max_num_queries(5):
        response = client.get(f"{language}/events/?precinct=west&program=ride-along-program")
    assert len(titles_in(response, "upcoming-heading")) == 15


@pytest.mark.parametrize("language", ["", "/es"])
def test_detail_and_news_pages_run_a_constant_number_of_queries(
    client, cope_content, django_assert_num_queries, language
):
    with django_assert_num_queries(3):  # the event with its precinct, programs, recommendations
        client.get(f"{language}/events/safety-plan-feedback-session-2025-03-19/")
    with django_assert_num_queries(2):  # count, page
        client.get(f"{language}/news/")
    with django_assert_num_queries(4):  # the post, programs, recommendations, events
        client.get(f"{language}/news/community-walk-east-birmingham-2016/")
    # the events, the latest change and the latest deletion (Last-Modified)
    with django_assert_num_queries(3):
        client.get("/events/calendar.ics")


def test_drafts_are_404_for_the_public(client, make_event, make_post):
    make_event(slug="draft-walk", is_published=False)
    make_post(slug="draft-news", is_published=False)

    assert client.get("/events/draft-walk/").status_code == 404
    assert client.get("/news/draft-news/").status_code == 404
    assert "draft-walk" not in client.get("/events/").text
    assert "draft-news" not in client.get("/news/").text


def test_signed_in_editor_previews_a_draft(client, editor, make_event, make_post):
    make_event(title="Draft walk", slug="draft-walk", is_published=False)
    make_post(title="Draft news", slug="draft-news", is_published=False)
    client.force_login(editor)

    event_page = client.get("/events/draft-walk/")
    news_page = client.get("/news/draft-news/")

    assert event_page.status_code == news_page.status_code == 200
    assert "Preview: this event is not published" in event_page.text
    assert "Preview: this post is not published" in news_page.text
    assert "private" in event_page["Cache-Control"]
    assert client.get("/events/draft-walk.ics").status_code == 200


def test_staff_without_the_editor_role_get_404_for_drafts(client, make_event):
    make_event(slug="draft-walk", is_published=False)
    client.force_login(StaffFactory())

    assert client.get("/events/draft-walk/").status_code == 404


def test_home_shows_the_next_three_events(client, cope_content, make_event):
    for n in range(5):
        make_event(title=f"Walk {n}", starts_at=timezone.now() + timedelta(days=n + 1))
    make_event(title="Draft", is_published=False)

    heading = soup_of(client.get("/")).find(id="next-events")

    assert [a.get_text() for a in heading.parent.select("h3 a")] == ["Walk 0", "Walk 1", "Walk 2"]


def test_program_precinct_and_recommendation_pages_list_their_upcoming_events(
    client, cope_content, make_event
):
    event = make_event(title="Linked walk", precinct=Precinct.objects.get(slug="north"))
    event.programs.set([Program.objects.get(slug="ride-along-program")])
    event.recommendations.set([Recommendation.objects.get(number=5)])
    make_event(title="Old linked walk", starts_at=timezone.now() - timedelta(days=9)).programs.set(
        [Program.objects.get(slug="ride-along-program")]
    )

    for url in ["/programs/ride-along-program/", "/precincts/north/", "/safety-plan/5/"]:
        heading = soup_of(client.get(url)).find(id="upcoming-events")
        assert [a.get_text() for a in heading.parent.select("h3 a")] == ["Linked walk"], url
    assert soup_of(client.get("/precincts/west/")).find(id="upcoming-events") is None


def test_news_detail_credits_the_source_and_says_the_date_as_the_seed_gives_it(
    client, cope_content
):
    soup = soup_of(client.get("/news/birmingham-safe-neighborhoods-task-force/"))

    assert "Source: U.S. Attorney's Office" in " ".join(
        soup.select_one(".source-credit").get_text().split()
    )
    assert "CBS 42" in soup.main.get_text()


def test_times_are_said_in_birmingham_time(client, cope_content):
    soup = soup_of(client.get("/events/safety-plan-feedback-session-2025-03-19/"))

    assert "Wednesday, March 19, 2025, 4:00 PM to 6:00 PM" in soup.main.get_text()


def test_every_page_of_the_list_shows_each_event_once_in_order(client, cope_content, make_event):
    """Pages deep in the past are read from the oldest end (UpcomingThenPast): the same order."""
    from events.views import EVENTS_PER_PAGE

    now = timezone.now()
    for n in range(2 * EVENTS_PER_PAGE + 5):
        make_event(title=f"Past walk {n}", starts_at=now - timedelta(days=n + 1))
    make_event(title="Next walk", starts_at=now + timedelta(days=3))
    expected = list(
        Event.objects.published().upcoming_then_past(now).values_list("title", flat=True)
    )

    shown = []
    for number in (1, 2, 3):
        response = client.get(f"/events/?page={number}")
        shown += titles_in(response, "upcoming-heading") + titles_in(response, "past-heading")

    assert shown == expected and len(shown) > 2 * EVENTS_PER_PAGE  # three pages, the seed's too
