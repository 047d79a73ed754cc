"""Events and news in Spanish under /es/: the interface, dates as Spanish writes them, the seed
texts in Spanish, the Spanish feed, and staff texts without Spanish shown marked lang="en"."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import feedparser
import pytest
from bs4 import BeautifulSoup
from crawl import english_outside_english_blocks
from django.core.management import call_command
from django.utils import timezone, translation

from events import recurrence
from events.models import Event, NewsPost, when
from precincts.models import Precinct

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
SEED_EVENT = "/es/events/safety-plan-feedback-session-2025-03-19/"


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def english_in_our_parts(response) -> list[str]:
    """English outside lang="en" blocks, leaving out the follow box and a precinct's programs,
    which the follow and programs apps translate (the crawl test checks whole pages)."""
    soup = soup_of(response)
    for other in soup.select(".follow-box, section[aria-labelledby='programs']"):
        other.decompose()
    return english_outside_english_blocks(soup)


def test_when_is_said_in_the_language_of_the_page():
    starts = datetime(2025, 3, 19, 16, 0, tzinfo=CHICAGO)

    with translation.override("es"):
        same_day = when(starts, starts + timedelta(hours=2))
        two_days = when(starts, starts + timedelta(days=1, hours=1))
    with translation.override("en"):
        english = when(starts, starts + timedelta(hours=2))

    assert same_day == "miércoles 19 de marzo de 2025, de 4:00 p. m. a 6:00 p. m."
    assert two_days == (
        "del miércoles 19 de marzo de 2025 a las 4:00 p. m. al jueves 20 de marzo a las 5:00 p. m."
    )
    assert english == "Wednesday, March 19, 2025, 4:00 PM to 6:00 PM"


@pytest.mark.parametrize(
    ("repeats", "spanish"),
    [
        (recurrence.WEEKLY, "Cada martes, hasta el 15 de diciembre de 2026"),
        (
            recurrence.MONTHLY_WEEKDAY,
            "Cada mes, el segundo martes, hasta el 15 de diciembre de 2026",
        ),
        (recurrence.MONTHLY_DATE, "Cada mes, el día 13, hasta el 15 de diciembre de 2026"),
    ],
)
def test_how_an_event_repeats_is_said_in_spanish(make_event, repeats, spanish):
    starts = datetime(2026, 1, 13, 18, 0, tzinfo=CHICAGO)  # the second Tuesday
    event = make_event(
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        repeats=repeats,
        repeat_until=date(2026, 12, 15),
    )

    with translation.override("es"):
        assert event.repeat_description == spanish


def test_seed_event_and_news_have_their_spanish_texts(cope_content):
    event = Event.objects.get(slug="safety-plan-feedback-session-2025-03-19")
    posts = {post.slug: post for post in NewsPost.objects.all()}

    assert event.title_es.startswith("Sesión de opinión comunitaria")
    assert "Opción virtual disponible." in event.description_es
    assert posts["community-walk-east-birmingham-2016"].title_es == (
        "Caminata comunitaria en el este de Birmingham"
    )
    task_force = posts["birmingham-safe-neighborhoods-task-force"]
    assert task_force.summary_es and task_force.body_es and task_force.date_note_es
    assert task_force.title_en == (
        "U.S. Attorney's Office launches the Birmingham Safe Neighborhoods Task Force"
    )


def test_loading_again_adds_spanish_only_where_the_english_is_still_the_seeds(cope_content):
    NewsPost.objects.filter(slug="community-walk-east-birmingham-2016").update(
        title_es=None, body_es=None, summary_en="Staff rewrote the summary."
    )

    call_command("load_cope_content", stdout=StringIO())

    post = NewsPost.objects.get(slug="community-walk-east-birmingham-2016")
    assert post.title_es == "Caminata comunitaria en el este de Birmingham"
    assert post.body_es.startswith("La noche del miércoles 13 de julio de 2016")
    assert post.summary_es.startswith("El jefe A.C. Roper")  # kept as it was
    assert post.summary_en == "Staff rewrote the summary."


def test_events_list_is_in_spanish(client, cope_content, make_event):
    make_event(title="Walk in Ensley", slug="walk-ensley", is_cancelled=True)
    response = client.get("/es/events/")
    soup = soup_of(response)

    assert response.status_code == 200
    assert soup.title.get_text() == "Eventos · COPE · Policía de Birmingham"
    subscribe = soup.select_one("a[href='webcal://testserver/es/events/calendar.ics']")
    assert subscribe.get_text() == "Suscribirse al calendario de eventos"
    assert soup.select_one(".calendar-address code").get_text() == (
        "http://testserver/es/events/calendar.ics"
    )
    cancelled = soup.select_one("a[href='/es/events/walk-ensley/']")
    assert cancelled.get_text() == "Cancelado: Walk in Ensley"
    assert cancelled.span["lang"] == "en"
    past = soup.find(id="past-heading").parent
    assert "miércoles 19 de marzo de 2025, de 4:00 p. m. a 6:00 p. m." in past.get_text()
    assert "Sesión de opinión comunitaria" in past.get_text()
    assert english_in_our_parts(response) == []


def test_events_filters_and_their_problems_are_in_spanish(client, cope_content):
    response = client.get("/es/events/?precinct=nowhere&page=2")
    soup = soup_of(response)

    assert soup.title.get_text().startswith("Eventos")
    assert soup.find("label", attrs={"for": "id_precinct"}).get_text() == "Estación de policía"
    assert [o.get_text() for o in soup.select("#id_precinct option")] == [
        "Cualquier estación",
        "Estación de Policía Norte",
        "Estación de Policía Sur",
        "Estación de Policía Este",
        "Estación de Policía Oeste",
    ]
    assert soup.select_one(".notice li").get_text() == (
        "Estación de policía: no existe esa estación de policía, así que se muestran los eventos "
        "de todas."
    )
    assert english_in_our_parts(response) == []


def test_seed_event_page_is_in_spanish_with_the_one_calendar_file(client, cope_content):
    response = client.get(SEED_EVENT)
    soup = soup_of(response)

    assert soup.h1.get_text() == (
        "Sesión de opinión comunitaria: Estrategia de Reducción de la Violencia Armada"
    )
    facts = soup.select_one("dl.event-facts").get_text(" ")
    assert "miércoles 19 de marzo de 2025, de 4:00 p. m. a 6:00 p. m." in facts
    assert "(hora de Birmingham)" in facts
    assert soup.select(".only-english") == []
    # The recommendation's title stays as the city published it: English, marked so.
    related = soup.find(id="related").parent
    assert related.select_one("a[href='/es/safety-plan/5/']")["lang"] == "en"
    assert english_in_our_parts(response) == []


def test_an_event_without_spanish_shows_its_english_marked_lang_en(
    client, cope_content, make_event
):
    event = make_event(
        title="Meet the North Precinct",
        slug="meet-north",
        description="Coffee with the officers of the precinct.\n\nBring your questions.",
        precinct=Precinct.objects.get(slug="north"),
        online_url="https://example.org/join",
    )

    response = client.get("/es/events/meet-north/")
    soup = soup_of(response)

    assert soup.h1.span["lang"] == "en"
    about = soup.find(id="about").parent
    assert about.select_one(".only-english").get_text() == (
        "Este texto solo está disponible en inglés."
    )
    assert about.select_one("div[lang='en']").get_text().startswith("Coffee with the officers")
    assert soup.select_one(f"a[href='/es{event.ics_url}']").get_text() == "Agregar a su calendario"
    north = soup.select_one("a[href='/es/precincts/north/']")
    assert north.get_text() == "Estación de Policía Norte"
    # The <title> cannot mark part of itself English: the page's content is checked.
    assert english_outside_english_blocks(soup.main) == []


def test_an_event_with_spanish_shows_it_unmarked(client, make_event):
    make_event(
        title="Coffee with a cop",
        title_es="Café con un policía",
        slug="coffee",
        description="Bring your questions.",
        description_es="Traiga sus preguntas.",
    )

    soup = soup_of(client.get("/es/events/coffee/"))

    assert soup.h1.get_text() == "Café con un policía" and soup.h1.span is None
    assert soup.select(".only-english") == []
    assert "Traiga sus preguntas." in soup.find(id="about").parent.get_text()


def test_a_repeating_event_with_skipped_dates_is_in_spanish(client, make_event):
    starts = timezone.localtime(timezone.now()).replace(hour=18, minute=0, second=0) + timedelta(
        days=3
    )
    skipped = (starts + timedelta(days=7)).date()
    make_event(
        title="Weekly walk",
        slug="weekly-walk",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        repeats=recurrence.WEEKLY,
        repeat_until=(starts + timedelta(days=60)).date(),
        skipped_dates=skipped.isoformat(),
    )

    response = client.get("/es/events/weekly-walk/")
    soup = soup_of(response)

    facts = soup.select_one("dl.event-facts")
    assert facts.dd.get_text(" ").split()[:2] == ["Próxima", "fecha:"]
    assert facts.find("dt", string="Se repite") is not None
    skipped_item = facts.select_one("ul.plain-list li")
    assert skipped_item.get_text().startswith("No habrá Weekly walk el ")
    assert skipped_item.span["lang"] == "en"
    assert soup.select_one("a[download]").get_text() == ("Agregar todas las fechas a su calendario")
    assert english_in_our_parts(response) == []


def test_news_list_and_posts_are_in_spanish(client, cope_content, make_post):
    make_post(title="Our officers at the fair", slug="fair", source_name="WBRC")

    listing = client.get("/es/news/")
    soup = soup_of(listing)
    assert soup.title.get_text() == "Noticias · COPE · Policía de Birmingham"
    assert soup.find("link", type="application/atom+xml")["href"] == "/es/news/feed/"
    titles = [a.get_text() for a in soup.select(".news-list h2 a")]
    assert "Caminata comunitaria en el este de Birmingham" in titles
    assert soup.select_one("a[href='/es/news/fair/']")["lang"] == "en"
    assert "16 de abril de 2018" in soup.get_text()
    assert english_in_our_parts(listing) == []

    post = client.get("/es/news/fair/")
    assert soup_of(post).h1["lang"] == "en"
    assert english_outside_english_blocks(soup_of(post).main) == []  # the <title> cannot say
    seed = soup_of(client.get("/es/news/birmingham-safe-neighborhoods-task-force/"))
    assert seed.h1.get_text().startswith("La Oficina del Fiscal Federal")
    assert seed.select_one(".source-credit span")["lang"] == "en"  # the source's own name
    assert "(resumen del personal de COPE)" in seed.select_one(".source-credit").get_text()


def test_a_post_without_spanish_says_its_body_is_only_in_english(client, make_post):
    make_post(title="Fair", slug="fair", summary="Short.", body="A long body.\n\nTwo paragraphs.")

    soup = soup_of(client.get("/es/news/fair/"))

    assert soup.h1["lang"] == "en"
    assert soup.select_one("p.lead")["lang"] == "en"
    assert soup.select_one(".only-english") is not None
    assert soup.select_one("main div[lang='en']").get_text().startswith("A long body.")


def test_spanish_news_feed_has_a_spanish_title_and_links_to_spanish_pages(client, cope_content):
    spanish = feedparser.parse(client.get("/es/news/feed/").content)
    english = feedparser.parse(client.get("/news/feed/").content)

    assert not spanish.bozo
    assert spanish.feed.title == "Noticias de COPE: Departamento de Policía de Birmingham"
    assert spanish.feed.language == "es"
    assert spanish.feed.link.endswith("/es/news/")
    assert spanish.entries[0].title.startswith("La Oficina del Fiscal Federal")
    assert spanish.entries[0].link.endswith("/es/news/birmingham-safe-neighborhoods-task-force/")
    assert english.feed.title == "COPE news: Birmingham Police Department"
    assert english.feed.link.endswith("/news/") and "/es/" not in english.feed.link
    assert {entry.id for entry in spanish.entries}.isdisjoint(e.id for e in english.entries)


def test_every_spanish_page_is_spanish_with_the_seeds_and_the_factories(
    client, cope_content, make_event, make_post
):
    make_event(slug="walk", precinct=Precinct.objects.get(slug="east"))
    make_event(slug="cancelled-walk", is_cancelled=True)
    make_post(slug="post")
    pages = [
        "/es/events/",
        "/es/events/walk/",
        "/es/events/cancelled-walk/",
        SEED_EVENT,
        "/es/news/",
        "/es/news/post/",
        "/es/news/community-walk-east-birmingham-2016/",
        "/es/news/birmingham-safe-neighborhoods-task-force/",
        "/es/precincts/east/",
    ]

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert english_in_our_parts(response) == [], url


def test_home_next_events_are_in_spanish(client, cope_content, make_event):
    make_event(title="Walk", slug="walk")

    soup = soup_of(client.get("/es/"))
    section = soup.find(id="next-events").parent

    assert section.h2.get_text() == "Próximos eventos"
    assert section.select_one("a[href='/es/events/']").get_text() == "Todos los eventos"
    assert section.select_one("a[href='/es/events/walk/']") is not None
    assert english_outside_english_blocks(section) == []


def test_home_says_no_events_in_spanish(client):
    section = soup_of(client.get("/es/")).find(id="next-events").parent

    assert "Por ahora no hay eventos programados." in section.get_text()


def test_calendar_files_from_spanish_pages_are_in_spanish(client, cope_content, make_event):
    from icalendar import Calendar

    make_event(title_en="Walk", title_es="Caminata", slug="walk", is_cancelled=True)

    assert b"SUMMARY:Cancelled: Walk" in client.get("/events/walk.ics").content
    (event,) = Calendar.from_ical(client.get("/es/events/walk.ics").content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Cancelado: Caminata"
    assert str(event["URL"]).endswith("/es/events/walk/")
    calendar = Calendar.from_ical(client.get("/es/events/calendar.ics").content)
    assert str(calendar["X-WR-CALNAME"]) == "Eventos de COPE, Policía de Birmingham"
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Cancelado: Caminata"]


def test_an_events_place_is_marked_english_on_spanish_pages_only(client, make_event):
    make_event(slug="walk", place="Community room, North Precinct", address="")

    spanish = soup_of(client.get("/es/events/walk/"))
    listing = soup_of(client.get("/es/events/"))
    english = soup_of(client.get("/events/walk/"))

    def shown(s):  # the text people read, not the page's JSON-LD
        return "Community room" in s and s.parent.name != "script"

    assert spanish.find(string=shown).parent["lang"] == "en"
    assert listing.find(string=shown).parent["lang"] == "en"
    assert not english.find(string=shown).parent.has_attr("lang")
