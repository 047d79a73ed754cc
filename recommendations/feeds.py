"""Atom feeds of the public status updates: the whole plan, and one per recommendation."""

from datetime import date, datetime, time
from types import SimpleNamespace

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _

from core.feeds import PagedFeed
from recommendations.models import Recommendation, StatusUpdate


def with_english_note(text: str) -> str:
    """`text`, then on a Spanish feed the note that the city's words stay in English (the one
    the pages show: components/shown_in_english.html)."""
    note = strip_tags(render_to_string("components/shown_in_english.html")).strip()
    return f"{text} {note}".strip()


def since_day(request) -> date | None:
    """?since= as on the change log (recorded or retracted since); a bad date is ignored."""
    try:
        return date.fromisoformat(request.GET.get("since", "").strip()[:10])
    except ValueError:
        return None


def since_of(request):
    day = since_day(request)
    if day is None:
        return None
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def kept_query(request) -> dict:
    """What the page links keep of the query: a valid ?since=."""
    day = since_day(request)
    return {"since": day.isoformat()} if day else {}


def starting_point_sentence(counts: list[dict]) -> str:
    """ "Starting point: the city's status report, undated: 22 In progress, …", or ''."""
    if not counts:
        return ""
    figures = ", ".join(f"{item['count']} {item['label']}" for item in counts)
    return gettext("Starting point: the city's status report, undated: %(figures)s.") % {
        "figures": figures
    }


class PlanUpdatesFeed(PagedFeed):
    """Links come from SITE_URL (never the Host header); stored control characters are
    stripped, so a note pasted from a PDF cannot break the XML. The feed under /es/ is the same
    updates with Spanish words around the city's English notes, under ids of its own. Paged
    (core/feeds.py): ?page=2 and on hold the older updates, back to the first."""

    title = _("Birmingham public-safety plan: status updates")

    def get_object(self, request):
        """What this request asks for (the feed object is shared by every request)."""
        return SimpleNamespace(since=since_of(request), kept_query=kept_query(request))

    def link(self):
        return settings.SITE_URL + reverse("recommendations:tracker")

    def first_page_url(self, obj):
        return settings.SITE_URL + reverse("recommendations:feed")

    def feed_guid(self):
        return self.tag("plan")

    def tag(self, what: str) -> str:
        """The English feed's ids as they always were; another language's carry its code."""
        host = settings.SITE_URL.split("://", 1)[-1].split("/")[0].split(":")[0]
        language = get_language() or settings.LANGUAGE_CODE
        where = "" if language == settings.LANGUAGE_CODE else f"{language}/"
        return f"tag:{host},2025:safety-plan/{where}{what}"

    def items(self, obj):
        return self.page_of(obj, StatusUpdate.objects.changes_since(obj.since))  # the change log's

    def subtitle(self):
        """Says what the feed starts from: the city's undated report is no change."""
        about = gettext(
            "The latest public status updates on the city's public-safety plan, from COPE."
        )
        starting_point = starting_point_sentence(StatusUpdate.objects.starting_counts())
        return with_english_note(" ".join([about, starting_point]).strip())

    def item_title(self, item):
        before = item.get_previous_status_display() or pgettext("plan status", "No status")
        title = f"{item.recommendation}: {before} → {item.get_status_display()}"
        return gettext("Retracted: %(title)s") % {"title": title} if item.retracted else title

    def item_description(self, item):
        note = item.note or gettext("No progress note was given.")
        if item.retracted:
            when = date_format(timezone.localtime(item.retracted_at), "DATE_FORMAT")
            return gettext(
                "This update was retracted on %(date)s: %(reason)s (The retracted note was: "
                "%(note)s)"
            ) % {"date": when, "reason": item.retraction_reason, "note": note}
        return note

    def item_link(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def item_guid(self, item):
        return self.tag(f"status-update/{item.pk}")

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return item.retracted_at or item.recorded_at

    def item_pubdate(self, item):
        return item.recorded_at

    def item_author_name(self, item):
        return item.credit

    def item_categories(self, item):
        return [item.get_status_display()]


class RecommendationUpdatesFeed(PlanUpdatesFeed):
    def get_object(self, request, number):
        recommendation = get_object_or_404(Recommendation, number=number)
        recommendation.since = since_of(request)
        recommendation.kept_query = kept_query(request)
        return recommendation

    def title(self, obj):
        return gettext("Safety plan recommendation %(number)s: status updates") % {
            "number": obj.number
        }

    def subtitle(self, obj):
        return with_english_note(
            obj.title or gettext("Recommendation %(number)s") % {"number": obj.number}
        )

    def link(self, obj):
        return settings.SITE_URL + obj.get_absolute_url()

    def first_page_url(self, obj):
        return settings.SITE_URL + reverse("recommendations:recommendation_feed", args=[obj.number])

    def feed_guid(self, obj):
        return self.tag(f"recommendation/{obj.number}")

    def items(self, obj):
        return self.page_of(obj, obj.updates.changes_since(obj.since))
