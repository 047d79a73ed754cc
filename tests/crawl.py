"""Crawl the public site the way a visitor can: every internal link and every GET form."""

from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit

from bs4 import BeautifulSoup
from django.conf import settings

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
PERMISSIONS_POLICY_OFF = ("camera=()", "microphone=()", "geolocation=()")


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


def is_html(response) -> bool:
    return response.headers.get("Content-Type", "").startswith("text/html")


def internal(base: str, href: str) -> str | None:
    """The path and query of an internal link, or None for anything else."""
    url = urljoin("http://testserver" + base, href.strip())
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
