"""sitemap.xml: every public page, each with its English and Spanish addresses (hreflang) and
x-default, built from SITE_URL (never from the request's Host header)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from events.models import Event, NewsPost
from precincts.models import Precinct
from programs.models import Program
from recommendations.models import Recommendation


class PortalSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class PagesSitemap(PortalSitemap):
    """The pages every visitor starts from."""

    PAGES = (
        "home",
        "programs:list",
        "programs:volunteer",
        "precincts:list",
        "precincts:find",
        "recommendations:tracker",
        "recommendations:changes",
        "recommendations:progress",
        "recommendations:data",
        "glossary",
        "events:list",
        "events:news_list",
        "follow:follow",
        "accessibility",
        "privacy",
    )

    def items(self):
        return self.PAGES

    def location(self, item):
        return reverse(item)


class ProgramsSitemap(PortalSitemap):
    def items(self):
        return Program.objects.published().order_by("slug")


class PrecinctsSitemap(PortalSitemap):
    def items(self):
        return Precinct.objects.order_by("slug")


class RecommendationsSitemap(PortalSitemap):
    def items(self):
        return Recommendation.objects.order_by("number")


class EventsSitemap(PortalSitemap):
    def items(self):
        return Event.objects.published().order_by("slug")


class NewsSitemap(PortalSitemap):
    def items(self):
        return NewsPost.objects.published().order_by("slug")


SITEMAPS = {
    "pages": PagesSitemap,
    "programs": ProgramsSitemap,
    "precincts": PrecinctsSitemap,
    "recommendations": RecommendationsSitemap,
    "events": EventsSitemap,
    "news": NewsSitemap,
}
