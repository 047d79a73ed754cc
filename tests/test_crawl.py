"""The net every page falls into: crawl the public site and check each page it reaches."""

import json
import subprocess
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from crawl import crawl, missing_security_headers
from pytest_playwright_axe import OPTIONS_WCAG_22AA, Axe

TITLE_SUFFIX = " · COPE · Birmingham Police"


def page_problems(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    problems = [f"missing header {name}" for name in missing_security_headers(response)]
    if response.status_code != 200:
        problems.append(f"status {response.status_code}")
    if len(soup.find_all("h1")) != 1:
        problems.append(f"{len(soup.find_all('h1'))} h1 elements")
    title = soup.title.get_text(strip=True) if soup.title else ""
    if not title.endswith(TITLE_SUFFIX) or title == TITLE_SUFFIX.strip(" ·"):
        problems.append(f"title {title!r}")
    first_link = soup.body.find("a") if soup.body else None
    if not first_link or first_link.get("href") != "#main":
        problems.append("the skip link is not the first link")
    if not soup.find("main", id="main"):
        problems.append("no <main id=main>")
    return problems


def test_every_page_reached_from_home_is_whole_and_safe(client, cope_content):
    site = crawl(client)

    assert "/" in site.pages and "/accessibility/" in site.pages and "/privacy/" in site.pages
    problems = {url: page_problems(r) for url, r in site.pages.items()}
    assert {url: p for url, p in problems.items() if p} == {}
    bad_files = {
        url: (r.status_code, missing_security_headers(r))
        for url, r in site.files.items()
        if r.status_code != 200 or missing_security_headers(r)
    }
    assert bad_files == {}


def test_every_page_is_valid_html(client, cope_content, vnu, tmp_path):
    site = crawl(client)
    names = {}
    for index, (url, response) in enumerate(site.pages.items()):
        path = tmp_path / f"page{index}.html"
        path.write_bytes(response.content)
        names[path.name] = url

    result = subprocess.run([*vnu, str(tmp_path)], capture_output=True, text=True, timeout=300)

    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{names.get(urlsplit(m.get('url', '')).path.rsplit('/', 1)[-1], '?')} "
        f"line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []
    assert len(names) == len(site.pages) > 0


@pytest.mark.browser
def test_every_page_passes_axe_and_fits_a_320px_phone(
    transactional_db, live_server, client, page, cope_content
):
    urls = list(crawl(client).pages)
    axe = Axe()
    problems = {}
    for url in urls:
        page.console_errors.clear()
        response = page.goto(live_server.url + url)
        found = []
        if response.status != 200:
            found.append(f"status {response.status}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            found.append(f"scrolls sideways by {overflow}px at 320px wide")
        result = axe.run(
            page,
            options=OPTIONS_WCAG_22AA,
            html_report_generated=False,
            json_report_generated=False,
        )
        found += [
            f"axe {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in result["violations"]
        ]
        found += [f"console: {text}" for text in page.console_errors]
        if found:
            problems[url] = found
    assert problems == {}
    assert len(urls) > 2
