"""Crawl the public site the way a visitor can: every internal link and every GET form."""

from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit

from bs4 import BeautifulSoup, Comment
from django.conf import settings

from portal.middleware import language_of_path

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
# Geolocation is allowed to the portal itself only: the precinct finder's "Use my location".
PERMISSIONS_POLICY_OFF = ("camera=()", "microphone=()", "geolocation=(self)")


def missing_security_headers(response) -> list[str]:
    """The security headers a response lacks or carries with a weaker value."""
    missing = [
        name for name, value in SECURITY_HEADERS.items() if response.headers.get(name) != value
    ]
    policy = response.headers.get("Permissions-Policy", "")
    missing += [
        f"Permissions-Policy {item}" for item in PERMISSIONS_POLICY_OFF if item not in policy
    ]
    return missing


def language_of(url: str) -> str:
    return language_of_path(urlsplit(url).path)


# Words that are English and not Spanish: on a Spanish page, they show an untranslated string
# wherever they are not inside an element marked lang="en".
ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "your",
        "you",
        "with",
        "this",
        "our",
        "from",
        "about",
        "what",
        "when",
        "who",
        "will",
        "are",
        "for",
        "of",
        "how",
        "there",
        "here",
        "more",
        "see",
        "sign",
        "call",
        "find",
    ]
)
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "content")


def english_outside_english_blocks(soup) -> list[str]:
    """The texts on a page (and the attributes people hear) holding English words while no
    element around them says lang="en"."""

    def declared(element) -> str:
        for parent in [element, *element.parents]:
            if getattr(parent, "get", None) and parent.get("lang"):
                return parent["lang"].split("-")[0]
        return ""

    found = []

    def check(text, element):
        words = {w.strip(".,;:!?()\"'“”’").lower() for w in text.split()}
        if words & ENGLISH_WORDS and declared(element) != "en":
            found.append(" ".join(text.split())[:120])

    for text in soup.find_all(string=True):
        if isinstance(text, Comment) or text.parent.name in {"script", "style"}:
            continue
        if text.strip():
            check(str(text), text.parent)
    for element in soup.find_all(True):
        for attribute in READ_ATTRIBUTES:
            if element.get(attribute) and not (
                element.name == "meta" and element.get("name") != "description"
            ):
                check(element[attribute], element)
        if element.name == "input" and element.get("type") in {"submit", "button"}:
            check(element.get("value", ""), element)
    return found


def is_html(response) -> bool:
    return response.headers.get("Content-Type", "").startswith("text/html")


def internal(base: str, href: str) -> str | None:
    """The path and query of an internal link, or None for anything else (a webcal: link is the
    calendar app's way to the same http address)."""
    href = href.strip()
    if href.startswith("webcal://"):
        href = "http://" + href.removeprefix("webcal://")
    url = urljoin("http://testserver" + base, href)
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or parts.netloc != "testserver":
        return None
    if parts.path.startswith(("/" + settings.ADMIN_URL, settings.STATIC_URL)):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def form_query(form) -> str:
    """The query a GET form sends when submitted as the page shows it."""
    pairs = []
    for control in form.find_all(["input", "select", "textarea"]):
        name = control.get("name")
        if not name or control.has_attr("disabled"):
            continue
        if control.name == "select":
            options = control.find_all("option")
            chosen = [o for o in options if o.has_attr("selected")] or options[:1]
            pairs += [(name, o.get("value", o.get_text())) for o in chosen]
        elif control.name == "textarea":
            pairs.append((name, control.get_text()))
        elif control.get("type") in {"checkbox", "radio"}:
            if control.has_attr("checked"):
                pairs.append((name, control.get("value", "on")))
        elif control.get("type") not in {"submit", "button", "reset", "image", "file"}:
            pairs.append((name, control.get("value", "")))
    return urlencode(pairs)


@dataclass
class Site:
    pages: dict = field(default_factory=dict)  # url -> response, HTML pages
    files: dict = field(default_factory=dict)  # url -> response, everything else
    linked_from: dict = field(default_factory=dict)  # url -> the page that linked to it


def crawl(client, start: str = "/", limit: int = 3000) -> Site:
    site = Site()
    queue = deque([start])
    site.linked_from[start] = "(start)"
    while queue:
        url = queue.popleft()
        if url in site.pages or url in site.files:
            continue
        assert len(site.pages) + len(site.files) < limit, "the crawl does not end"
        response = client.get(url)
        if not is_html(response):
            site.files[url] = response
            continue
        site.pages[url] = response
        soup = BeautifulSoup(response.content, "html.parser")
        targets = [internal(url, a["href"]) for a in soup.find_all("a", href=True)]
        for form in soup.find_all("form"):
            if form.get("method", "get").lower() == "get":
                action = internal(url, form.get("action") or url)
                if action:
                    targets.append(action.split("?")[0] + "?" + form_query(form))
        for target in targets:
            if target and target.split("#")[0] not in site.linked_from:
                target = target.split("#")[0]
                site.linked_from[target] = url
                queue.append(target)
    return site
