"""The Atom feed of COPE's news posts."""

from datetime import datetime, time

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext

from core.feeds import PagedFeed
from events.models import NewsPost


class NewsFeed(PagedFeed):
    """Links come from SITE_URL (never the Host header); control characters are stripped.

    /news/feed/ is in English, /es/news/feed/ in Spanish (its own id, its links to /es/);
    ?page=2 and on hold the older posts (core/feeds.py)."""

    page_size = 30

    def title(self):
        return gettext("COPE news: Birmingham Police Department")

    def subtitle(self):
        return gettext("News from the Community Outreach and Public Education division.")

    def link(self):
        return settings.SITE_URL + reverse("events:news_list")

    def first_page_url(self, obj):
        return settings.SITE_URL + reverse("events:news_feed")

    def feed_guid(self):
        return self.tag("news")

    def tag(self, what: str) -> str:
        """The Atom id: the English ones as they always were, the Spanish ones under es/."""
        host = settings.SITE_URL.split("://", 1)[-1].split("/")[0].split(":")[0]
        language = get_language()
        prefix = "" if language == settings.LANGUAGE_CODE else f"{language}/"
        return f"tag:{host},2025:{prefix}{what}"

    def items(self, obj):
        return self.page_of(obj, NewsPost.objects.published().newest_first())

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def item_guid(self, item):
        return self.tag(f"news/{item.slug}")

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.date, time(12)))

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.source_name or gettext("COPE Division")
