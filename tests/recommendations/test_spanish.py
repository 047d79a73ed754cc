"""The tracker in Spanish under /es/: the interface in Spanish around the city's English texts
(marked lang="en"), the same query counts as in English, and the open data English always."""

import csv
import io
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import feedparser
import pytest
import time_machine
from bs4 import BeautifulSoup
from crawl import english_outside_english_blocks
from django.utils import translation
from factories import FocusAreaFactory

from recommendations import exports, services
from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    """The 2026 dates below, on a clock that never reaches the first of a month or 2028."""
    with time_machine.travel(datetime(2026, 12, 2, 15, tzinfo=ZoneInfo("America/Chicago"))):
        yield


FILES = [
    "/safety-plan/recommendations.csv",
    "/safety-plan/recommendations.json",
    "/safety-plan/status-updates.csv",
    "/safety-plan/status-updates.json",
]


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def content(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def plan(cope_content, admin_user):
    """The plan with what the pages show beyond the city's report: a focus area, a staff update,
    an update from an imported report and a retracted one."""
    area = FocusAreaFactory(slug="courts", name="Courts and the justice system")
    Recommendation.objects.filter(number__in=[51, 52]).update(focus_area=area)
    services.record_status_update(
        recommendation=Recommendation.objects.get(number=38),
        status=Status.COMPLETED,
        note="Signed into law by the governor.",
        author=admin_user,
        date=date(2026, 3, 4),
    )
    services.record_status_update(
        recommendation=Recommendation.objects.get(number=51),
        status=Status.IN_PROGRESS,
        note="Work is under way with the courts.",
        source="City status report of March 31, 2026",
        date=date(2026, 3, 31),
    )
    mistake = services.record_status_update(
        recommendation=Recommendation.objects.get(number=5),
        status=Status.NOT_PURSUED,
        note="Dropped for the year.",
        author=admin_user,
        date=date(2026, 4, 2),
    )
    services.retract_status_update(
        update=mistake, reason="Posted on the wrong row of the plan.", author=admin_user
    )


def others_removed(soup):
    """The page without the parts other areas translate (the follow-by-email box, events)."""
    for box in soup.select(".follow-box"):
        box.decompose()
    for heading in soup.select("#upcoming-events"):
        heading.parent.decompose()
    return soup


@pytest.mark.parametrize(
    "url",
    [
        "/es/safety-plan/",
        "/es/safety-plan/?status=in-progress&focus=courts&q=courts",
        "/es/safety-plan/?status=bogus&focus=nope&q=" + "x" * 300,
        "/es/safety-plan/?q=nothing-matches-this",
        "/es/safety-plan/5/",
        "/es/safety-plan/30/",
        "/es/safety-plan/38/",
        "/es/safety-plan/51/",
        "/es/safety-plan/51/history/",
        "/es/safety-plan/progress/",
        "/es/safety-plan/changes/",
        "/es/safety-plan/changes/?since=2026-03-01",
        "/es/safety-plan/changes/?since=last-week",
    ],
)
def test_spanish_pages_say_nothing_in_english_outside_the_citys_texts(client, plan, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    soup = others_removed(soup_of(response))
    assert soup.html["lang"] == "es"
    assert soup.title.get_text().endswith(" · COPE · Policía de Birmingham")
    assert english_outside_english_blocks(soup) == []


def test_the_home_page_glance_is_spanish(client, plan):
    soup = soup_of(client.get("/es/"))

    glance = soup.find(id="plan-glance").parent
    assert english_outside_english_blocks(glance) == []
    assert glance.find("h2").get_text() == "El plan de seguridad pública de un vistazo"
    text = glance.get_text(" ", strip=True)
    assert "1 de 82 recomendaciones completadas." in text and "En curso: 22" in text
    assert glance.find("a", href="/es/safety-plan/")
    assert glance.find("a", href="/es/safety-plan/changes/")


def test_statuses_and_filters_are_in_spanish(client, cope_content):
    FocusAreaFactory(slug="courts", name="Courts and the justice system")
    soup = soup_of(client.get("/es/safety-plan/"))

    options = [o.get_text() for o in soup.select("#id_status option")]
    assert options == [
        "Cualquier estado (82)",
        "Sin actualización disponible (25)",
        "En planificación (12)",
        "En desarrollo (5)",
        "Antes del lanzamiento (4)",
        "En curso (22)",
        "Completada (0)",
        "Descartada (0)",
        "Sin estado publicado (14)",
    ]
    labels = [label.get_text() for label in soup.select("form.filters label")]
    assert labels == ["Estado", "Área de enfoque", "Palabras"]
    assert soup.select_one("form.filters button").get_text() == "Mostrar recomendaciones"
    form = soup.select_one("form.filters")
    assert form["action"] == form["data-hx-get"] == "/es/safety-plan/"
    focus = soup.select("#id_focus option")
    assert [(o.get_text(), o.get("lang")) for o in focus] == [
        ("Cualquier área de enfoque", None),
        ("Courts and the justice system", "en"),
    ]
    assert soup.select_one("#results-heading").get_text(strip=True) == "Las 82 recomendaciones"
    lost = soup.select_one("li.lost")
    assert "Recomendaciones 24 a 37: faltan sus detalles en la copia" in lost.get_text()
    assert lost.select_one(".status").get_text() == "Sin estado publicado"


def test_the_headline_reads_in_spanish(client, cope_content):
    headline = soup_of(client.get("/es/safety-plan/")).select_one("p.headline")
    text = headline.get_text(" ", strip=True)

    assert text.startswith("0 de 82 recomendaciones completadas.")
    assert "22 están en curso y 21 más están en planificación, en desarrollo o antes" in text
    assert "39 no tienen información: 25 con “Sin actualización disponible” y 14 ausentes" in text


def test_filters_that_cannot_be_used_are_explained_in_spanish(client, cope_content):
    soup = soup_of(client.get("/es/safety-plan/?status=bogus&q=" + "x" * 300))

    notice = soup.select_one("#results .notice")
    assert notice.p.get_text().startswith("No pudimos usar algunos de los filtros")
    problems = [li.get_text() for li in notice.select("li")]
    assert problems == [
        "Estado: no es uno de los estados del plan.",
        "Palabras: busque 200 caracteres como máximo.",
    ]


def test_htmx_gets_the_results_in_spanish_from_the_spanish_address(client, cope_content):
    partial = client.get("/es/safety-plan/?status=pre-launch", headers={"hx-request": "true"})
    refused = client.get("/es/safety-plan/?status=bogus", headers={"hx-request": "true"})

    assert partial.text.strip().startswith('<section id="results"')
    soup = soup_of(partial)
    assert soup.select_one("#results-heading").get_text(strip=True) == (
        "4 de 82 recomendaciones coinciden"
    )
    assert {s.get_text() for s in soup.select(".status")} == {"Antes del lanzamiento"}
    assert soup.select_one("h3 a")["href"] == "/es/safety-plan/2/"
    assert english_outside_english_blocks(soup) == []
    assert "Estado: no es uno de los estados del plan." in refused.text
    assert "<html" not in refused.text


def test_the_change_log_filter_explains_a_bad_date_in_spanish(client, cope_content):
    soup = soup_of(client.get("/es/safety-plan/changes/?since=last-week"))

    error = soup.select_one("#id_since-error").get_text(" ", strip=True)
    assert error == (
        "Error: Escriba la fecha como AAAA-MM-DD, por ejemplo 2026-03-01. "
        "Se muestran todos los cambios."
    )
    assert soup.select_one("label[for=id_since]").get_text() == "Cambios desde"
    assert soup.select_one("#changes-heading").get_text(strip=True) == "0 cambios"


def test_the_citys_texts_stay_english_and_say_so(client, plan):
    soup = soup_of(client.get("/es/safety-plan/51/"))

    assert soup.select_one("h1 .number").get_text() == "Recomendación 51"
    assert soup.select_one("h1 .subtitle")["lang"] == "en"
    assert [p.get_text() for p in soup.select(".only-english")] == [
        "Este texto solo está disponible en inglés."
    ]
    assert soup.select_one("#text").find_next_sibling("div")["lang"] == "en"
    focus = soup.find(string=lambda s: s.startswith("Área de enfoque:")).parent
    assert focus.span["lang"] == "en" and focus.span.get_text() == "Courts and the justice system"
    latest = soup.select_one("ol.history > li")
    assert latest.select_one(".status").get_text() == "En curso"
    assert "Informe de avance de la ciudad del 31 de marzo de 2026" in latest.get_text()
    assert latest.find(string=lambda s: "under way" in s).find_parent(lang="en")


def test_the_tracker_marks_titles_and_notes_english_but_not_on_english_pages(client, cope_content):
    spanish = soup_of(client.get("/es/safety-plan/"))
    english = soup_of(client.get("/safety-plan/"))

    first = spanish.select_one("#rec-1")
    assert first.a["lang"] == "en" and first.a["href"] == "/es/safety-plan/1/"
    assert first.parent.select_one("p[lang=en]").get_text().startswith("The Office of Community")
    assert english.select("main [lang]") == []


def test_a_retraction_is_told_in_spanish_with_its_reason_in_english(client, plan):
    retracted = soup_of(client.get("/es/safety-plan/changes/")).select_one("li.retracted")

    reason = retracted.select_one(".retraction")
    assert reason.get_text(" ", strip=True).startswith("Retirada el ")
    assert "por el personal de COPE:" in reason.get_text()
    assert reason.span["lang"] == "en" and reason.span.get_text() == (
        "Posted on the wrong row of the plan."
    )
    assert retracted.select_one(".visually-hidden").get_text() == ", ahora:"


def test_progress_chart_and_table_are_in_spanish_whichever_language_filled_the_cache(client, plan):
    client.get("/safety-plan/progress/")  # the table is kept in the shared cache, words apart
    soup = soup_of(client.get("/es/safety-plan/progress/"))

    assert soup.find("svg", role="img").title.get_text() == (
        "Completadas y en curso a lo largo del tiempo"
    )
    rows = {tr.th.get_text(strip=True): tr for tr in soup.select("tbody tr")}
    undated = "Según el informe de avance de la ciudad (sin fecha)"
    assert list(rows)[:2] == [undated, "marzo de 2026"]
    cells = {td["data-label"]: td.get_text() for td in rows["marzo de 2026"].find_all("td")}
    assert cells["Completada"] == "1" and cells["Sin estado publicado"] == "14"
    assert "Completada: Según el informe" in soup.find("desc").get_text()
    assert "marzo de 2026 1" in soup.find("desc").get_text()
    labels = [t.get_text() for t in soup.select("text.chart-label")]
    assert labels == [undated, "diciembre de 2026 (hasta hoy)"]
    # SVG lengths keep a decimal point on a page whose numbers take a decimal comma
    assert not [y for line in soup.select("svg line") for y in (line["y1"], line["y2"]) if "," in y]
    assert not [text["y"] for text in soup.select("svg text") if "," in text["y"]]
    english = soup_of(client.get("/safety-plan/progress/"))
    assert english.select("tbody tr")[1].th.get_text(strip=True) == "March 2026"


def test_spanish_feeds_have_spanish_titles_and_ids_of_their_own(client, plan):
    spanish = feedparser.parse(client.get("/es/safety-plan/feed/").content)
    english = feedparser.parse(client.get("/safety-plan/feed/").content)
    one = feedparser.parse(client.get("/es/safety-plan/38/feed/").content)

    assert spanish.feed.title == (
        "Plan de seguridad pública de Birmingham: actualizaciones de estado"
    )
    assert spanish.feed.language == "es" and spanish.feed.link.endswith("/es/safety-plan/")
    assert english.feed.title == "Birmingham public-safety plan: status updates"
    assert english.feed.id == "tag:testserver,2025:safety-plan/plan"
    assert spanish.feed.id == "tag:testserver,2025:safety-plan/es/plan"
    retracted = next(e for e in spanish.entries if e.title.startswith("Retirada: 5."))
    assert retracted.title.endswith(": En curso → Descartada")
    assert retracted.link.endswith("/es/safety-plan/5/#update-" + retracted.id.split("/")[-1])
    english_ids = {e.id for e in english.entries}
    assert english_ids.isdisjoint(e.id for e in spanish.entries)
    assert all(i.startswith("tag:testserver,2025:safety-plan/status-update/") for i in english_ids)
    assert one.feed.title == (
        "Recomendación 38 del plan de seguridad pública: actualizaciones de estado"
    )
    assert one.entries[0].author == "personal de COPE"


def test_the_spanish_tracker_links_the_same_english_files(client, cope_content):
    def files(url):
        return [a["href"] for a in soup_of(client.get(url)).select("a[href]") if "." in a["href"]]

    assert files("/es/safety-plan/") == files("/safety-plan/") == FILES


@pytest.mark.parametrize("url", FILES)
def test_a_download_right_after_a_spanish_page_stays_english(client, plan, url):
    client.get("/es/safety-plan/")
    response = client.get(url)

    assert response["Content-Language"] == "en"
    body = content(response).decode("utf-8-sig")
    if url.endswith(".csv"):
        rows = list(csv.DictReader(io.StringIO(body)))
    else:
        rows = next(v for k, v in json.loads(body).items() if k != "source")
    statuses = {row["status"] for row in rows}
    assert "In progress" in statuses and not statuses & {"En curso", "Completada"}
    assert not any("/es/" in row["url"] for row in rows)


def test_the_open_data_is_english_even_when_built_while_spanish_is_active(plan):
    with translation.override("es"):
        recommendations = list(exports.recommendation_rows())
        updates = list(exports.status_update_rows())

    assert recommendations[0]["status"] == "In progress"
    assert recommendations[0]["url"] == "http://testserver/safety-plan/1/"
    assert {u["status"] for u in updates} >= {"Completed", "Not pursued", "No update available"}
    assert {u["source"] for u in updates} >= {"COPE staff", "the city's status report"}
    assert not any("/es/" in u["url"] for u in updates)


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_spanish_pages_run_the_same_number_of_queries_as_english(
    client, cope_content, prefix, django_assert_max_num_queries
):
    # the tracker: counts, focus areas, the list, the latest dated update, the glossary
    with django_assert_max_num_queries(5):
        client.get(f"{prefix}/safety-plan/")
    with django_assert_max_num_queries(5):
        client.get(f"{prefix}/safety-plan/?status=in-progress&q=BPD", headers={"hx-request": "1"})
    # a recommendation: itself, its history, its upcoming events, the glossary
    with django_assert_max_num_queries(4):
        client.get(f"{prefix}/safety-plan/38/")
    with django_assert_max_num_queries(4):
        client.get(f"{prefix}/safety-plan/38/history/")
    with django_assert_max_num_queries(2):
        client.get(f"{prefix}/safety-plan/feed/")
