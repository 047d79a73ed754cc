"""Atom feeds as every app sends them: paged (RFC 5005), plain-text summaries, GET only.

Every feed says how to cache it (public, revalidated at each poll: Last-Modified and the ETag
make that a 304). A feed reader that missed many entries follows `<link rel="next">` back
through the pages, so no entry is ever out of reach; the first page is the feed's usual
address. An empty feed's `<updated>` (and Last-Modified) is a fixed date,
`EMPTY_FEED_UPDATED`, never the time it was made: a reader polling it sees it unchanged.
"""

from datetime import UTC, datetime
from types import SimpleNamespace
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponseNotAllowed
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed

from core.textsafe import clean_feed

# The year every feed id names (tag:<host>,2025:…): the portal's feeds began then.
EMPTY_FEED_UPDATED = datetime(2025, 1, 1, tzinfo=UTC)
MAX_PAGE_DIGITS = 6


class PortalAtomFeed(Atom1Feed):
    """Atom with RFC 5005 paging links, summaries declared as the plain text they are, and a
    fixed `<updated>` when there is no entry."""

    def latest_post_date(self):
        return super().latest_post_date() if self.items else EMPTY_FEED_UPDATED

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        for rel, url in self.feed.get("paging", ()):
            handler.addQuickElement("link", "", {"rel": rel, "href": url})

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


def page_number(request) -> int:
    raw = request.GET.get("page", "")
    if raw.isascii() and raw.isdigit() and len(raw) <= MAX_PAGE_DIGITS:
        return max(int(raw), 1)
    return 1


class PagedFeed(Feed):
    """A feed of `page_size` entries a page. Subclasses give `first_page_url(obj)` (the full
    address of the first page) and return `self.page_of(obj, queryset)` from `items`;
    `get_object` returns an object with attributes (a SimpleNamespace will do), whose
    `kept_query` (a dict) the page links keep."""

    feed_type = PortalAtomFeed
    page_size = 50

    def __call__(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):  # as every page answers (require_safe)
            return HttpResponseNotAllowed(["GET", "HEAD"])
        response = super().__call__(request, *args, **kwargs)
        # Readers revalidate each poll: Last-Modified and the ETag make that a 304.
        patch_cache_control(
            response, public=True, max_age=settings.BROWSER_CACHE_SECONDS, must_revalidate=True
        )
        return response

    def get_object(self, request, *args, **kwargs):
        return SimpleNamespace()

    def get_feed(self, obj, request):
        obj.page = page_number(request)
        obj.has_next = False
        feed = super().get_feed(obj, request)
        paging = [("first", self.page_url(obj, 1))]
        if obj.page > 1:
            paging.append(("previous", self.page_url(obj, obj.page - 1)))
        if obj.has_next:
            paging.append(("next", self.page_url(obj, obj.page + 1)))
        feed.feed["paging"] = paging
        return clean_feed(feed)

    def page_url(self, obj, page: int) -> str:
        query = dict(getattr(obj, "kept_query", {}))
        if page > 1:
            query["page"] = page
        return self.first_page_url(obj) + (f"?{urlencode(query)}" if query else "")

    def feed_url(self, obj):
        return self.page_url(obj, obj.page)

    def page_of(self, obj, queryset) -> list:
        start = (obj.page - 1) * self.page_size
        rows = list(queryset[start : start + self.page_size + 1])
        obj.has_next = len(rows) > self.page_size
        return rows[: self.page_size]
