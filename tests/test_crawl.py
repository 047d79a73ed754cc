"""The net every page falls into: crawl the public site and check each page it reaches."""

import json
import subprocess
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from crawl import crawl, english_outside_english_blocks, language_of, missing_security_headers
from pytest_playwright_axe import OPTIONS_WCAG_22AA, Axe

TITLE_SUFFIX = {"en": " · COPE · Birmingham Police", "es": " · COPE · Policía de Birmingham"}


def language_problems(url, soup) -> list[str]:
    """The page's language is its address's; it links to itself in the other language; no
    English shows on a Spanish page outside the blocks marked lang="en"."""
    language = language_of(url)
    problems = []
    if soup.html.get("lang") != language:
        problems.append(f"<html lang={soup.html.get('lang')!r}>, not {language!r}")
    alternates = {
        link.get("hreflang") for link in soup.find_all("link", rel="alternate", hreflang=True)
    }
    if alternates != {"en", "es", "x-default"}:
        problems.append(f"<link rel=alternate hreflang> for {sorted(alternates)}")
    canonical = soup.find_all("link", rel="canonical")
    if len(canonical) != 1 or urlsplit(canonical[0]["href"]).path != urlsplit(url).path:
        problems.append(f"canonical links {[c.get('href') for c in canonical]}")
    other = "en" if language == "es" else "es"
    switch = soup.find("a", hreflang=other)
    if not switch or switch.get("lang") != other:
        problems.append(f"no link to the page in {other!r} (with lang and hreflang)")
    elif language_of(switch["href"]) != other:
        problems.append(f"the language switch goes to {switch['href']}")
    if language == "es":
        problems += [
            f"English outside lang=en: {text!r}"
            for text in english_outside_english_blocks(soup)[:3]
        ]
    return problems


def page_problems(response, url="/") -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    problems = [f"missing header {name}" for name in missing_security_headers(response)]
    if response.status_code != 200:
        problems.append(f"status {response.status_code}")
    if len(soup.find_all("h1")) != 1:
        problems.append(f"{len(soup.find_all('h1'))} h1 elements")
    suffix = TITLE_SUFFIX[language_of(url)]
    title = soup.title.get_text(strip=True) if soup.title else ""
    if not title.endswith(suffix) or title == suffix.strip(" ·"):
        problems.append(f"title {title!r}")
    first_link = soup.body.find("a") if soup.body else None
    if not first_link or first_link.get("href") != "#main":
        problems.append("the skip link is not the first link")
    if not soup.find("main", id="main"):
        problems.append("no <main id=main>")
    return problems + language_problems(url, soup)


def test_every_page_reached_from_home_is_whole_and_safe(client, cope_content):
    site = crawl(client)

    assert {"/", "/accessibility/", "/privacy/", "/es/", "/es/privacy/"} <= set(site.pages)
    english = {url for url in site.pages if language_of(url) == "en"}
    assert {f"/es{url}" for url in english} <= set(site.pages), "a page has no Spanish version"
    problems = {url: page_problems(r, url) for url, r in site.pages.items()}
    assert {url: p for url, p in problems.items() if p} == {}
    bad_files = {
        url: (r.status_code, missing_security_headers(r))
        for url, r in site.files.items()
        if r.status_code != 200 or missing_security_headers(r)
    }
    assert bad_files == {}


def test_every_page_is_valid_html(client, cope_content, vnu, tmp_path):
    site = crawl(client)
    folder = tmp_path / "pages"  # tmp_path is also the test's VAR_DIR (own_downloads)
    folder.mkdir()
    names = {}
    for index, (url, response) in enumerate(site.pages.items()):
        path = folder / f"page{index}.html"
        path.write_bytes(response.content)
        names[path.name] = url

    result = subprocess.run([*vnu, str(folder)], capture_output=True, text=True, timeout=300)

    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{names.get(urlsplit(m.get('url', '')).path.rsplit('/', 1)[-1], '?')} "
        f"line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []
    assert len(names) == len(site.pages) > 0


AXE_SHARDS = 4  # the browser crawl is the longest test: in parts, parallel processes share it
CRAWLED_URLS: list[str] = []  # the pages the crawl reaches, found once per process


@pytest.mark.browser
@pytest.mark.parametrize("shard", range(AXE_SHARDS), ids=lambda n: f"part{n + 1}of{AXE_SHARDS}")
def test_every_page_passes_axe_and_fits_a_320px_phone(
    transactional_db, live_server, client, page, cope_content, shard
):
    if not CRAWLED_URLS:
        CRAWLED_URLS.extend(crawl(client).pages)
    urls = CRAWLED_URLS[shard::AXE_SHARDS]
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
    assert len(CRAWLED_URLS) > 2 * AXE_SHARDS
