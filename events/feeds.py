"""The Atom feed of COPE's news posts."""

from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, gettext

from core.textsafe import clean_feed
from events.models import NewsPost

FEED_SIZE = 30


class NewsFeed(Feed):
    """Links come from SITE_URL (never the Host header); control characters are stripped.

    /news/feed/ is in English, /es/news/feed/ in Spanish (its own id, its links to /es/)."""

    feed_type = Atom1Feed

    def title(self):
        return gettext("COPE news: Birmingham Police Department")

    def subtitle(self):
        return gettext("News from the Community Outreach and Public Education division.")

    def get_feed(self, obj, request):
        return clean_feed(super().get_feed(obj, request))

    def link(self):
        return settings.SITE_URL + reverse("events:news_list")

    def feed_url(self):
        return settings.SITE_URL + reverse("events:news_feed")

    def feed_guid(self):
        return self.tag("news")

    def tag(self, what: str) -> str:
        """The Atom id: the English ones as they always were, the Spanish ones under es/."""
        host = settings.SITE_URL.split("://", 1)[-1].split("/")[0].split(":")[0]
        language = get_language()
        prefix = "" if language == settings.LANGUAGE_CODE else f"{language}/"
        return f"tag:{host},2025:{prefix}{what}"

    def items(self):
        return NewsPost.objects.published().newest_first()[:FEED_SIZE]

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
