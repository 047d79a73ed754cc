"""The tracker tells its story: headline, source, what changed, progress, plain words, glossary."""

import csv
import io
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import feedparser
import pytest
import time_machine
from bs4 import BeautifulSoup

from core.models import GlossaryTerm
from recommendations.models import Recommendation, Status, StatusUpdate
from recommendations.services import record_status_update

pytestmark = pytest.mark.django_db

# Every date below is in 2026 and the site reads "today" in Birmingham: the clock is frozen in
# the afternoon of December 2, 2026 (Chicago), so no test depends on the day or hour it runs.
TODAY = datetime(2026, 12, 2, 15, 0, tzinfo=ZoneInfo("America/Chicago"))


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def first_paragraph_after_h1(soup):
    return soup.find("h1").find_next("p").get_text(" ", strip=True)


def post(number, status, note, when, author=None):
    return record_status_update(
        recommendation=Recommendation.objects.get(number=number),
        status=status,
        note=note,
        author=author,
        date=when,
    )


# Headline --------------------------------------------------------------------------------


def test_headline_states_the_seed_figures_in_the_first_paragraph(client, cope_content):
    soup = soup_of(client.get("/safety-plan/"))

    headline = first_paragraph_after_h1(soup)
    assert headline.startswith("0 of 82 recommendations completed.")
    assert "22 are in progress, and 21 more are in planning, in development or pre-launch" in (
        headline
    )
    assert "39 have no information: 25 say “No update available” and 14 are missing from" in (
        headline
    )
    assert "gives no date, and no dated update has been posted since" in headline


def test_headline_follows_the_data_and_names_the_latest_dated_update(
    client, cope_content, admin_user
):
    post(5, Status.COMPLETED, "Adopted.", date(2026, 3, 4), admin_user)

    headline = first_paragraph_after_h1(soup_of(client.get("/safety-plan/")))

    assert headline.startswith("1 of 82 recommendations completed.")
    assert "21 are in progress" in headline
    assert "The latest dated update is from March 4, 2026." in headline


def test_headline_bar_has_a_visible_legend_with_every_count(client, cope_content):
    soup = soup_of(client.get("/safety-plan/"))

    figure = soup.select_one("figure.plan-bar")
    legend = [li.get_text(" ", strip=True) for li in figure.select(".legend li")]
    assert legend == [
        "Completed: 0",
        "In progress: 22",
        "Pre-launch: 4",
        "In development: 5",
        "In planning: 12",
        "Not pursued: 0",
        "No update available: 25",
        "No status published: 14",
    ]
    # readable without colour: each drawn part has its own pattern, the legend shows the same
    fills = [rect["fill"] for rect in figure.select("svg.stacked rect")]
    assert len(fills) == len(set(fills)) == 6
    assert all(fill.startswith("url(#pattern-") for fill in fills)
    assert soup.find("pattern", id="pattern-none")


def test_home_shows_the_same_headline_and_the_latest_three_changes(
    client, cope_content, admin_user
):
    for number, when in [(3, 1), (4, 2), (6, 3), (7, 4)]:
        post(number, Status.COMPLETED, f"Done {number}.", date(2026, 3, when), admin_user)

    soup = soup_of(client.get("/"))

    section = soup.find(id="plan-glance").parent
    assert (
        section.find("p").get_text(" ", strip=True).startswith("4 of 82 recommendations completed.")
    )
    changes = [li.get_text(" ", strip=True) for li in section.select("ol.changes > li")]
    assert len(changes) == 3
    assert changes[0].startswith("7. Continue Hospital Violence") and "In progress" in changes[0]
    assert section.find("a", href="/safety-plan/changes/")


# Source ------------------------------------------------------------------------------------


def test_source_block_names_the_report_its_missing_date_and_lost_rows(client, cope_content):
    soup = soup_of(client.get("/safety-plan/"))

    source = soup.find(id="source").parent.get_text(" ", strip=True)
    assert "the city's status report" in source and "no date" in source
    assert "Rows 24 to 37 did not survive in that copy" in source
    assert "COPE staff keep the tracker current" in source


def test_rows_24_to_37_are_one_group_with_the_reason(client, cope_content):
    soup = soup_of(client.get("/safety-plan/"))

    groups = soup.select("#results li.lost")
    assert len(groups) == 1
    text = groups[0].get_text(" ", strip=True)
    assert text.startswith("Recommendations 24 to 37: details missing from the copy")
    assert "did not survive in the copy of the city's status report" in text
    assert [a["href"] for a in groups[0].select(".numbers a")] == [
        f"/safety-plan/{n}/" for n in range(24, 38)
    ]


def test_status_filter_offers_no_status_published(client, cope_content):
    soup = soup_of(client.get("/safety-plan/?status=none"))

    assert [h["id"] for h in soup.select("#results h3")] == ["rec-24"]
    assert soup.select_one("#results h2").get_text(strip=True) == "14 of 82 recommendations match"


# What changed ------------------------------------------------------------------------------


def test_change_log_lists_every_public_change_newest_first_old_to_new(
    client, cope_content, admin_user
):
    post(5, Status.COMPLETED, "Adopted.", date(2026, 3, 4), admin_user)
    record_status_update(
        recommendation=Recommendation.objects.get(number=6),
        status=Status.COMPLETED,
        note="Internal draft",
        author=admin_user,
        public=False,
    )

    soup = soup_of(client.get("/safety-plan/changes/"))

    entries = soup.select("ol.changes > li")
    first = " ".join(entries[0].get_text(" ").split())
    assert first.startswith("5. Create a Gun Violence Reduction Strategy (GVRS)")
    statuses = [badge.get_text() for badge in entries[0].select(".change-status .status")]
    assert statuses == ["In progress", "Completed"]
    assert "March 4, 2026 · COPE staff" in first and "Adopted." in first
    assert "Internal draft" not in soup.get_text()
    assert soup.select_one("#changes-heading").get_text(strip=True) == "1 change"
    starting = " ".join(soup.select_one(".starting-point").get_text(" ").split())
    assert starting.startswith("Starting point: the city's status report, undated:")


def test_change_log_is_paginated_and_keeps_the_filter_in_its_links(
    client, cope_content, admin_user
):
    for number in [*range(1, 24), 38, 39, 40]:
        post(number, Status.COMPLETED, "", date(2026, 4, 1), admin_user)

    soup = soup_of(client.get("/safety-plan/changes/?since=2026-04-01"))

    assert len(soup.select("ol.changes > li")) == 25
    assert soup.find("a", rel="next")["href"] == "?since=2026-04-01&page=2"
    second = soup_of(client.get("/safety-plan/changes/?since=2026-04-01&page=2"))
    assert len(second.select("ol.changes > li")) == 1
    assert soup_of(client.get("/safety-plan/changes/?page=abc")).select("ol.changes > li")


def test_since_keeps_what_was_recorded_since_whatever_its_date(client, cope_content, admin_user):
    with time_machine.travel(datetime(2026, 2, 1, 12, tzinfo=ZoneInfo("America/Chicago"))):
        post(6, Status.COMPLETED, "Done.", date(2026, 2, 1), admin_user)
    post(5, Status.COMPLETED, "Adopted.", date(2026, 2, 4), admin_user)  # backdated, recorded now

    soup = soup_of(client.get("/safety-plan/changes/?since=2026-03-01"))

    assert [a.get_text() for a in soup.select(".change-what a")] == [
        str(Recommendation.objects.get(number=5))
    ]
    assert soup.select_one("#changes-heading").get_text(strip=True) == (
        "1 change recorded or retracted since March 1, 2026"
    )
    assert "recorded or retracted on or after this day" in soup.select_one("#id_since-hint").text
    assert soup.find("input", id="id_since")["value"] == "2026-03-01"


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01", "2026-02-30", "%00"])
def test_a_bad_since_date_says_so_beside_the_field_and_shows_everything(
    client, cope_content, since
):
    response = client.get(f"/safety-plan/changes/?since={since}")
    soup = soup_of(response)

    assert response.status_code == 200
    field = soup.select_one(".field")
    assert "Enter a date as YYYY-MM-DD" in field.select_one("#id_since-error").get_text()
    assert soup.find("input", id="id_since")["aria-invalid"] == "true"
    assert soup.select_one("#changes-heading").get_text(strip=True) == "0 changes"
    assert soup.select_one(".starting-point")  # the whole log: its starting point


def test_change_log_runs_a_constant_number_of_queries(
    client, cope_content, admin_user, django_assert_num_queries
):
    for number in (1, 2, 3):
        post(number, Status.COMPLETED, "CVI work.", date(2026, 3, 4), admin_user)
    # count, page (with recommendations), the glossary, the starting point's counts
    with django_assert_num_queries(4):
        client.get("/safety-plan/changes/")
    # the glossary is kept in the shared cache from then on
    with django_assert_num_queries(2):
        client.get("/safety-plan/changes/?since=2026-01-01&page=2")


def test_feed_carries_the_change_log_entries(client, cope_content, admin_user):
    post(5, Status.COMPLETED, "Adopted.", date(2026, 3, 4), admin_user)

    feed = feedparser.parse(client.get("/safety-plan/feed/").content)
    page = soup_of(client.get("/safety-plan/changes/"))

    assert feed.entries[0].title.endswith(
        "5. Create a Gun Violence Reduction Strategy (GVRS) "
        "to address the root causes of gun violence, reduce "
        "incidents, and build resilience among individuals and "
        "communities: In progress → Completed"
    )
    assert [e.link.rsplit("#", 1)[1] for e in feed.entries[:25]] == [
        a["href"].rsplit("#", 1)[1] for a in page.select(".change-what a")
    ]


# Progress over time ------------------------------------------------------------------------


def progress_rows(client):
    return progress_rows_of(client.get("/safety-plan/progress/"))


def progress_rows_of(response):
    soup = soup_of(response)
    return {
        tr.th.get_text(strip=True): {td["data-label"]: int(td.get_text()) for td in tr("td")}
        for tr in soup.select("tbody tr")
    }


def test_progress_counts_each_month_end_from_dated_updates(
    client, cope_content, admin_user, settings
):
    today = date.today()
    post(13, Status.IN_PLANNING, "Begun.", date(2026, 1, 10), admin_user)
    post(13, Status.COMPLETED, "Done.", date(2026, 3, 2), admin_user)
    post(14, Status.IN_PLANNING, "Begun.", date(2026, 3, 5), admin_user)
    post(14, Status.IN_PROGRESS, "Under way.", date(2026, 3, 20), admin_user)

    rows = progress_rows(client)

    assert rows["From the city's status report (undated)"]["No update available"] == 25
    assert rows["January 2026"]["In planning"] == 13
    assert rows["January 2026"]["No update available"] == 24
    assert rows["February 2026"]["In planning"] == 13
    assert rows["March 2026"]["Completed"] == 1
    assert rows["March 2026"]["In planning"] == 12  # 14 started and moved on in March
    assert rows["March 2026"]["In progress"] == 23
    assert rows["March 2026"]["No update available"] == 23
    assert all(sum(counts.values()) == 82 for counts in rows.values())
    assert len(rows) == 1 + (today.year - 2026) * 12 + today.month


def test_progress_leaves_out_retracted_updates(client, cope_content, admin_user):
    from recommendations.services import retract_status_update

    update = post(13, Status.COMPLETED, "Done.", date(2026, 3, 2), admin_user)
    post(12, Status.COMPLETED, "Done.", date(2026, 3, 2), admin_user)
    retract_status_update(update=update, reason="Posted on the wrong one.", author=admin_user)

    assert progress_rows(client)["March 2026"]["Completed"] == 1


def test_progress_stays_flat_however_long_the_history(
    client, cope_content, admin_user, django_assert_num_queries
):
    recommendation = Recommendation.objects.get(number=1)
    StatusUpdate.objects.bulk_create(
        StatusUpdate(
            recommendation=recommendation,
            status=Status.IN_PROGRESS,
            note=f"Week {n}",
            date=date(2024 + n // 365, 1 + (n // 31) % 12, 1 + n % 28),
            author=admin_user,
        )
        for n in range(2000)
    )
    # the plan's version, the month-by-status sums and the number of recommendations: nothing
    # per update
    with django_assert_num_queries(3):
        response = client.get("/safety-plan/progress/")
    assert response.status_code == 200


def test_progress_leads_with_big_figures_and_a_step_chart_with_counts(
    client, cope_content, admin_user
):
    post(13, Status.IN_PLANNING, "Begun.", date(2026, 1, 10), admin_user)
    post(13, Status.COMPLETED, "Done.", date(2026, 3, 2), admin_user)

    soup = soup_of(client.get("/safety-plan/progress/"))

    figures = [" ".join(div.get_text(" ").split()) for div in soup.select(".big-figures div")]
    assert figures[0].startswith("Completed 1 of 82")
    assert figures[1].startswith("In progress 27%")  # 22 of 82
    svg = soup.find("svg", role="img")
    completed = [t.get_text() for t in svg.select(".series-completed text")]
    assert completed[0] == "0" and "1" in completed  # the one completion is a written number
    assert "From the city's status report (undated)" in [t.get_text() for t in svg("text")]
    assert "Completed: From the city's status report (undated) 0" in svg.find("desc").get_text()
    legend = [li.get_text(strip=True) for li in soup.select("figure.chart .legend li")]
    header = [th.get_text(strip=True) for th in soup.select("table thead th")][1:]
    assert legend == ["Completed", "In progress"] == header[:2]
    assert header[-1] == "No status published"


# Plain words -------------------------------------------------------------------------------


def test_display_text_mends_ocr_slips_and_shouting(client, cope_content):
    texts = {r.number: r for r in Recommendation.objects.filter(number__in=[8, 9, 70, 75, 82])}

    assert "Engage high-risk individuals" in texts[8].text
    assert "Hospital-based Violence" in texts[9].text
    assert "out-of-county arrests" in texts[75].text
    assert "data-driven approach" in texts[82].text
    assert texts[70].progress_note == "No update available"
    assert "high- risk" in texts[8].source_text
    assert texts[70].updates.get().source_text == "NO UPDATE AVAILABLE"


def test_titles_are_never_cut_mid_phrase_and_staff_can_shorten_them(client, cope_content):
    soup = soup_of(client.get("/safety-plan/38/"))
    assert soup.find("h1").get_text(" ", strip=True) == (
        "Recommendation 38 Implement state laws that ban possession of firearm conversion devices"
    )
    assert "…" not in "".join(Recommendation.objects.values_list("title", flat=True))

    Recommendation.objects.filter(number=5).update(short_title="A gun violence strategy")
    tracker = soup_of(client.get("/safety-plan/"))
    assert tracker.find(id="rec-5").get_text(" ", strip=True) == "5. A gun violence strategy"


def test_web_addresses_become_links(client, cope_content):
    soup = soup_of(client.get("/safety-plan/5/"))

    link = soup.find("a", string="birminghamal.gov/csi")
    assert link["href"] == "https://birminghamal.gov/csi"


def test_exports_keep_the_source_text_verbatim(client, cope_content):
    rows = json.loads(client.get("/safety-plan/recommendations.json").getvalue())["recommendations"]
    eight = next(r for r in rows if r["number"] == 8)
    assert "high-risk" in eight["text"] and "high- risk" in eight["source_text"]

    table = list(
        csv.DictReader(
            io.StringIO(
                client.get("/safety-plan/recommendations.csv").getvalue().decode("utf-8-sig")
            )
        )
    )
    assert "high- risk" in next(r for r in table if r["number"] == "8")["source_text"]
    download = client.get("/safety-plan/status-updates.json").getvalue()
    updates = json.loads(download)["status_updates"]
    seventy = next(u for u in updates if u["recommendation"] == 70)
    assert (seventy["note"], seventy["source_text"]) == (
        "No update available",
        "NO UPDATE AVAILABLE",
    )


# Glossary ----------------------------------------------------------------------------------


def test_glossary_lists_the_acronyms_with_only_the_expansions_the_seeds_give(client, cope_content):
    soup = soup_of(client.get("/glossary/"))

    entries = {
        div.dt.get_text(strip=True): div.dd.get_text(strip=True)
        for div in soup.select("dl.glossary > div")
    }
    assert entries["CVI"] == "Community Violence Intervention"
    assert entries["GVRS"] == "Gun Violence Reduction Strategy"
    assert entries["PYAC"] == "Police Youth Advisory Council"
    assert entries["SRO"] == "School Resource Officer"
    assert entries["BPD"] == "Birmingham Police Department"  # as the seeds spell it out
    assert entries["FBI"] == "Federal Bureau of Investigation"  # public names, not guesses
    assert entries["UAB"] == "University of Alabama at Birmingham"
    for unexplained in ["MOU", "CSI", "PBJC"]:
        assert entries[unexplained] == "Not spelled out in the source documents yet."
    assert soup.find(id="cvi")


def test_first_use_of_a_known_acronym_on_a_page_is_explained_and_linked(client, cope_content):
    soup = soup_of(client.get("/safety-plan/11/"))

    assert soup.find("main").get_text().count("MCPC") == 2
    terms = soup.select("main a.term")
    assert [(a["href"], a.abbr["title"], a.get_text()) for a in terms] == [
        ("/glossary/#mcpc", "Magic City Peace Collective", "MCPC")
    ]
    seven = soup_of(client.get("/safety-plan/7/"))
    mou = seven.select_one("main a.term")  # linked to the glossary, which says it is not known
    assert (mou["href"], mou.get_text()) == ("/glossary/#mou", "MOU")
    assert not seven.select("main abbr")


def test_glossary_markup_escapes_the_text_around_it(client, cope_content, admin_user):
    GlossaryTerm.objects.filter(acronym="CVI").update(expansion='Say "<b>"')
    post(5, Status.IN_PROGRESS, "<script>x</script> CVI & more", date(2026, 3, 4), admin_user)

    response = client.get("/safety-plan/5/")

    assert "<script>x</script>" not in response.text
    assert "&lt;script&gt;x&lt;/script&gt;" in response.text
    assert 'title="Say &quot;&lt;b&gt;&quot;"' in response.text
    assert "CVI</abbr></a> &amp; more" in response.text


def test_staff_fill_a_missing_expansion_and_pages_use_it(client, cope_content):
    GlossaryTerm.objects.filter(acronym="MOU").update(expansion="Memorandum of understanding")

    soup = soup_of(client.get("/safety-plan/7/"))

    assert soup.find("abbr", title="Memorandum of understanding").get_text() == "MOU"


def test_progress_is_computed_once_per_change_of_the_plan(
    client, cope_content, admin_user, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client.get("/safety-plan/progress/")
    # the table is kept until the plan changes: only the plan's version is read (by primary key)
    with django_assert_num_queries(1):
        client.get("/safety-plan/progress/")

    with django_capture_on_commit_callbacks(execute=True):
        post(13, Status.COMPLETED, "Done.", date(2026, 3, 2), admin_user)

    assert progress_rows(client)["March 2026"]["Completed"] == 1


def test_the_worker_works_out_the_progress_figures_before_the_first_visitor_after_a_change(
    client,
    cope_content,
    admin_user,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
    run_tasks,
):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from core.downloads import generation

    client.get("/safety-plan/progress/")
    before = generation("recommendations")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        # an import: several updates in one transaction, which renews the plan once
        post(13, Status.COMPLETED, "Done.", date(2026, 3, 2), admin_user)
        post(14, Status.COMPLETED, "Done.", date(2026, 3, 3), admin_user)
    assert generation("recommendations") != before
    queued = DBTaskResult.objects.filter(task_path="recommendations.tasks.prepare_progress")
    assert list(queued.values_list("args_kwargs", flat=True)) == [
        {"args": [generation("recommendations")], "kwargs": {}}
    ]

    run_tasks()

    # the visitor after the change only reads the plan's version: the figures are ready
    with django_assert_num_queries(1):
        response = client.get("/safety-plan/progress/")
    assert progress_rows_of(response)["March 2026"]["Completed"] == 2


def test_a_preparation_overtaken_by_a_newer_change_does_nothing(client, cope_content, admin_user):
    from django.core.cache import cache

    from core.downloads import generation, renew
    from recommendations.tasks import prepare_progress

    before = generation("recommendations")
    renew("recommendations")
    cache.clear()

    assert prepare_progress.call(before) is False
    assert prepare_progress.call(generation("recommendations")) is True


def test_a_long_history_shows_year_ends_then_the_last_two_years_month_by_month(
    client, cope_content, admin_user
):
    today = date.today()
    post(13, Status.IN_PLANNING, "Begun.", date(today.year - 6, 3, 10), admin_user)

    rows = progress_rows(client)

    labels = [label for label in rows if "undated" not in label]
    assert labels[0] == f"December {today.year - 6}"  # March's year shown at its end
    assert f"December {today.year - 3}" in labels and f"June {today.year - 3}" not in labels
    assert len([label for label in labels if not label.startswith("December")]) >= 21
    assert len(rows) <= 1 + 6 + 24
    assert rows[labels[0]]["In planning"] == 13
