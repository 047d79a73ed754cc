"""The tracker's public pages: filters as links, htmx in place, history, helpful errors."""

import pytest
from bs4 import BeautifulSoup
from factories import FocusAreaFactory, StatusUpdateFactory

from recommendations.models import Recommendation, Status

pytestmark = pytest.mark.django_db


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def listed_numbers(response) -> list[int]:
    return [int(h["id"].split("-")[1]) for h in soup_of(response).select("#results h3")]


EVERY_ENTRY = [*range(1, 25), *range(38, 83)]  # rows 24 to 37 are one group, headed 24


def test_tracker_shows_counts_and_every_recommendation(client, cope_content):
    response = client.get("/safety-plan/")
    soup = soup_of(response)

    assert listed_numbers(response) == EVERY_ENTRY
    options = [o.get_text() for o in soup.select("#id_status option")]
    assert "In progress (22)" in options and "No update available (25)" in options
    assert "Pre-launch (4)" in options and "Any status (82)" in options
    assert "No status published (14)" in options
    assert (
        soup.find("link", rel="alternate", type="application/atom+xml")["href"]
        == "/safety-plan/feed/"
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=pre-launch", [2, 9, 44, 47]),
        ("?q=Pardons", [73, 74, 76, 77]),
        ("?status=in-progress&q=Pardons", [73, 74, 76]),
        ("?q=hotspots", [4]),
        ("?q=38", [38]),
        ("?q=nothing-matches-this", []),
    ],
)
def test_filters_combine_and_are_shareable_links(client, cope_content, query, expected):
    assert listed_numbers(client.get("/safety-plan/" + query)) == expected


def test_focus_area_filter(client, cope_content):
    area = FocusAreaFactory(slug="courts")
    Recommendation.objects.filter(number__in=[51, 52]).update(focus_area=area)

    response = client.get("/safety-plan/?focus=courts")

    assert listed_numbers(response) == [51, 52]


@pytest.mark.parametrize(
    "query", ["?status=bogus", "?focus=nope", "?q=" + "x" * 500, "?status=%00", "?page=abc"]
)
def test_bad_parameters_give_the_whole_list_with_a_message_never_an_error(
    client, cope_content, query
):
    response = client.get("/safety-plan/" + query)

    assert response.status_code == 200
    assert listed_numbers(response) == EVERY_ENTRY
    if "page" not in query:
        assert "We could not use some of the filters" in response.text


def test_htmx_gets_just_the_results_from_the_same_url(client, cope_content):
    full = client.get("/safety-plan/?status=pre-launch")
    partial = client.get("/safety-plan/?status=pre-launch", headers={"hx-request": "true"})

    assert "<html" in full.text and "<html" not in partial.text
    assert partial.text.strip().startswith('<section id="results"')
    assert listed_numbers(partial) == [2, 9, 44, 47]
    assert "HX-Request" in full["Vary"] and "HX-Request" in partial["Vary"]


def test_filter_form_works_without_javascript_and_asks_htmx_to_push_the_url(client, cope_content):
    form = soup_of(client.get("/safety-plan/")).select_one("form.filters")

    assert form["method"] == "get" and form["action"] == "/safety-plan/"
    assert form["data-hx-push-url"] == "true" and form["data-hx-target"] == "#results"
    assert form.find("button", type="submit")


def test_tracker_and_detail_pages_run_a_constant_number_of_queries(
    client, cope_content, django_assert_max_num_queries
):
    # counts, focus areas, the list, the latest dated update, the glossary
    with django_assert_max_num_queries(5):
        client.get("/safety-plan/")
    with django_assert_max_num_queries(5):
        client.get("/safety-plan/?status=in-progress&q=BPD")
    with django_assert_max_num_queries(5):
        client.get("/safety-plan/38/")
    with django_assert_max_num_queries(2):
        client.get("/safety-plan/feed/")


def test_detail_shows_text_status_history_and_neighbours(client, cope_content, admin_user):
    rec = Recommendation.objects.get(number=38)
    StatusUpdateFactory(
        recommendation=rec, status=Status.COMPLETED, note="Signed into law.", author=admin_user
    )

    response = client.get("/safety-plan/38/")
    soup = soup_of(response)

    history = [li.get_text(" ", strip=True) for li in soup.select("ol.history > li")]
    assert history[0].startswith("Completed") and "COPE staff" in history[0]
    assert "Signed into law." in history[0]
    assert "Date not given in the source" in history[1] and "the city's status report" in history[1]
    assert admin_user.username not in response.text
    assert soup.find("a", rel="prev")["href"] == "/safety-plan/37/"
    assert soup.find("a", rel="next")["href"] == "/safety-plan/39/"
    assert (
        soup.find("link", rel="alternate", type="application/atom+xml")["href"]
        == "/safety-plan/38/feed/"
    )


def test_internal_updates_never_reach_the_public(client, cope_content):
    StatusUpdateFactory(
        recommendation=Recommendation.objects.get(number=5), note="Internal draft", public=False
    )

    assert "Internal draft" not in client.get("/safety-plan/5/").text
    assert "Internal draft" not in client.get("/safety-plan/feed/").text
    download = client.get("/safety-plan/status-updates.json").getvalue().decode()
    assert "Internal draft" not in download


def test_unpublished_row_says_so_plainly(client, cope_content):
    text = soup_of(client.get("/safety-plan/30/")).get_text(" ", strip=True)

    assert "are missing from the copy of the city's status report this tracker" in text
    assert "No status has been published for this recommendation yet." in text


@pytest.mark.parametrize(
    "path", ["/safety-plan/0/", "/safety-plan/83/", "/safety-plan/999999999999/"]
)
def test_numbers_outside_the_plan_are_the_helpful_404(client, cope_content, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "We cannot find that page" in response.text


def test_progress_page_derives_month_end_counts_from_the_history(client, cope_content):
    from datetime import date

    StatusUpdateFactory(
        recommendation=Recommendation.objects.get(number=13),
        status=Status.IN_PLANNING,
        date=date(2026, 9, 10),
    )

    soup = soup_of(client.get("/safety-plan/progress/"))

    dates = [tr.th.get_text(strip=True) for tr in soup.select("tbody tr")]
    assert dates[:2] == ["From the city's status report (undated)", "September 2026"]
    counts = {
        tr.th.get_text(strip=True): {td["data-label"]: td.get_text() for td in tr.find_all("td")}
        for tr in soup.select("tbody tr")
    }
    undated, september = counts[dates[0]], counts["September 2026"]
    assert (undated["No update available"], september["No update available"]) == ("25", "24")
    assert (undated["In planning"], september["In planning"]) == ("12", "13")
    assert undated["No status published"] == "14"
    assert soup.find("svg", role="img")


def test_home_shows_the_plan_at_a_glance(client, cope_content):
    soup = soup_of(client.get("/"))

    section = soup.find(id="plan-glance").parent
    assert "In progress" in section.get_text() and "22" in section.get_text()
    assert section.find("a", href="/safety-plan/")
