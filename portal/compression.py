"""Text responses sent compressed: brotli to a client that takes it, else gzip.

Pages, feeds and calendars are text that shrinks to a fifth or less; a phone on a slow
connection gets them that much sooner. The page cache keeps each page's compressed copies
(portal/pagecache.py), so a cached page costs no compression at all; `CompressionMiddleware`
compresses the rest (pages made for one visitor, the first render of a page).

Each encoding is its own representation, with a strong ETag of its own (the identity ETag with
``-gzip`` or ``-br`` inside the quotes), so a conditional request still gets its 304.

BREACH (an attacker who can put words in a page and watch its compressed size learns a secret
the same page holds) is kept out by what is never compressed: any response to a request that
carries a session cookie (staff pages, the admin, with personal data beside reflected search
words) and any page whose address holds a secret token (following: confirm, manage,
unsubscribe). What remains holds no secret but Django's CSRF token, which Django masks with a
new random value on every response, so it never repeats from one response to the next.
"""

import gzip
import re
import zlib

from django.conf import settings
from django.utils.cache import patch_vary_headers, set_response_etag

try:
    import brotli
except ImportError:  # a slimmer install: gzip alone
    brotli = None

MIN_SIZE = 200  # smaller bodies gain nothing
BROTLI_QUALITY = 5  # about gzip's speed for a clearly smaller body; copies are made once per page
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/atom+xml",
    "application/rss+xml",
    "application/xml",
    "application/ld+json",
    "application/javascript",
    "image/svg+xml",
)
ENCODINGS = ("br", "gzip") if brotli is not None else ("gzip",)


def accepted(request) -> dict[str, float]:
    """The codings of Accept-Encoding with their weights (RFC 9110 §12.5.3)."""
    weights = {}
    for item in request.headers.get("Accept-Encoding", "").split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        if not coding:
            continue
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[coding.lower()] = weight
    return weights


def preferred_encoding(request) -> str | None:
    """ "br" or "gzip", whichever the client weighs higher (brotli on a tie), or None."""
    weights = accepted(request)
    best, best_weight = None, 0.0
    for coding in ENCODINGS:
        weight = weights.get(coding, weights.get("*", 0.0))
        if weight > best_weight:
            best, best_weight = coding, weight
    return best


def compress(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(body, quality=BROTLI_QUALITY)
    return gzip.compress(body, compresslevel=6, mtime=0)  # mtime 0: the same bytes every time


def decompress(body: bytes, encoding: str) -> bytes:
    """For tests and tools: the body as sent, undone."""
    if encoding == "br":
        return brotli.decompress(body)
    return zlib.decompress(body, 31)


def compressible(response) -> bool:
    """A complete text body not yet encoded (error pages too: a 404 page is a page)."""
    return (
        not response.streaming
        and not response.has_header("Content-Encoding")
        and response.status_code not in (204, 304)
        and response.get("Content-Type", "").startswith(COMPRESSIBLE_TYPES)
    )


def may_compress(request) -> bool:
    """False where compression could leak a secret (BREACH; see the module's docstring)."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    match = getattr(request, "resolver_match", None)
    return not (match is not None and "token" in match.kwargs)


def encoded_etag(etag: str, encoding: str) -> str:
    """The ETag of the `encoding` representation: `"abc"` becomes `"abc-gzip"`."""
    return re.sub(r'"$', f'-{encoding}"', etag) if etag.endswith('"') else etag


def send_encoded(response, body: bytes, encoding: str) -> None:
    """Make `response` carry `body`, the `encoding` of its content."""
    response.content = body
    response["Content-Encoding"] = encoding
    response["Content-Length"] = str(len(body))
    if response.has_header("ETag"):
        response["ETag"] = encoded_etag(response["ETag"], encoding)


class CompressionMiddleware:
    """Compress a text response the page cache did not already send compressed.

    Between ConditionalGetMiddleware (outside: it compares the encoded ETag) and the page cache
    (inside: its copies are compressed already, so they pass through untouched).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not compressible(response) or not may_compress(request):
            return response
        patch_vary_headers(response, ["Accept-Encoding"])
        encoding = preferred_encoding(request)
        if encoding is None or len(response.content) < MIN_SIZE:
            return response
        if not response.has_header("ETag") and "no-store" not in response.get("Cache-Control", ""):
            set_response_etag(response)  # of the content, as the page cache's: one ETag a body
        send_encoded(response, compress(response.content, encoding), encoding)
        return response
