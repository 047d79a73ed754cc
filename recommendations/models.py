import functools
import re
from datetime import datetime

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

FIRST_NUMBER, LAST_NUMBER = 1, 82
# Stored in StatusUpdate.source (English, as the open data gives it); `credit` translates them.
SOURCE_REPORT = "the city's status report"
STAFF_SOURCE = "COPE staff"
CREDITS = {SOURCE_REPORT: _("the city's status report"), STAFF_SOURCE: _("COPE staff")}
REPORT_CREDIT = re.compile(r"City status report of (?P<day>[A-Z][a-z]+ \d{1,2}, \d{4})")


class Status(models.TextChoices):
    """The plan's statuses, in the order a recommendation moves through them."""

    NO_UPDATE = "no-update", pgettext_lazy("plan status", "No update available")
    IN_PLANNING = "in-planning", pgettext_lazy("plan status", "In planning")
    IN_DEVELOPMENT = "in-development", pgettext_lazy("plan status", "In development")
    PRE_LAUNCH = "pre-launch", pgettext_lazy("plan status", "Pre-launch")
    IN_PROGRESS = "in-progress", pgettext_lazy("plan status", "In progress")
    COMPLETED = "completed", pgettext_lazy("plan status", "Completed")
    NOT_PURSUED = "not-pursued", pgettext_lazy("plan status", "Not pursued")


def moves_back(old: str, new: str) -> bool:
    """A move staff must confirm: to an earlier stage, or to "No update available"."""
    if new == old:
        return False
    order = ["", *Status.values]
    return new == Status.NO_UPDATE or order.index(new) < order.index(old)


# A row whose status the source copy lost.
NO_STATUS_LABEL = pgettext_lazy("plan status", "No status published")


@functools.lru_cache(maxsize=256)
def credit_in(language: str | None, source: str) -> str:
    """StatusUpdate.credit for `source` in `language`, worked out once per process: a page of
    the history or the change log credits the same few sources on every row."""
    with translation.override(language):
        if source in CREDITS:
            return str(CREDITS[source])
        if report := REPORT_CREDIT.fullmatch(source):
            day = datetime.strptime(report["day"], "%B %d, %Y").date()
            return gettext("City status report of %(date)s") % {
                "date": date_format(day, "DATE_FORMAT")
            }
        return source


@functools.cache
def status_labels(language: str | None) -> dict[str, str]:
    """{code: label} in `language`, '' (no status) included: each label is translated once per
    language and process, not once per row (a page of 82 rows read 7 labels per row)."""
    with translation.override(language):
        return {code: str(label) for code, label in Status.choices} | {"": str(NO_STATUS_LABEL)}


def status_label(code: str) -> str:
    """The label people read for a status code, the empty code included, in the page's language."""
    return status_labels(get_language()).get(code, code)


class StatusDisplay:
    """`get_status_display()` from the per-language labels (Django's own translates every
    choice at each call); '' for no status and the code itself for an unknown one, as Django's."""

    def get_status_display(self) -> str:
        status = self.status
        return status_labels(get_language()).get(status, status) if status else ""


def english_status_labels() -> dict[str, str]:
    """{code: label} in English, '' included: the open data and the city's reports use these
    whatever language the request that builds them is in."""
    return dict(status_labels("en"))


class FocusArea(models.Model):
    """A theme staff group recommendations under (the source report defines none)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "focus area"

    def __str__(self):
        return self.name


class RecommendationQuerySet(models.QuerySet):
    def for_tracker(self):
        return self.select_related("focus_area").order_by("number")

    def with_current_status(self):
        """Each recommendation's status computed from its history by the one rule (the stored
        `status` is kept equal to it by the services; this is how a check reads it fresh)."""
        latest = (
            StatusUpdate.objects.in_force()
            .latest_first()
            .filter(recommendation=OuterRef("pk"))
            .values("status")[:1]
        )
        return self.annotate(current_status=Coalesce(Subquery(latest), Value("")))

    def counts_by_status(self) -> dict[str, int]:
        """{status code: count}, every status present (0 when none); '' counts rows without one."""
        counts = dict(self.order_by().values_list("status").annotate(n=Count("pk")))
        return {status: counts.get(status, 0) for status in Status.values} | {"": counts.get("", 0)}

    def matching(self, words: str):
        query = Q()
        for word in words.split():
            query &= (
                Q(title__icontains=word)
                | Q(text__icontains=word)
                | Q(progress_note__icontains=word)
                | Q(number__iexact=word)
            )
        return self.filter(query)


class Recommendation(StatusDisplay, models.Model):
    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(
        max_length=300,
        blank=True,
        help_text="The name the source gives before a colon, else its whole first sentence.",
    )
    short_title = models.CharField(
        max_length=100,
        blank=True,
        help_text="Optional: a shorter title for lists, written by staff. Never cut mid-phrase.",
    )
    text = models.TextField(
        blank=True, help_text="The recommendation as the plan states it, as the public reads it."
    )
    source_text = models.TextField(
        blank=True,
        editable=False,
        help_text="The recommendation exactly as the source report gives it (OCR and all).",
    )
    source_fragment = models.TextField(
        blank=True,
        help_text="Text that survives from a damaged part of the source report, kept as found.",
    )
    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="recommendations"
    )
    details_published = models.BooleanField(
        default=True,
        help_text="Off when the source report lost this row: the page then says its details "
        "have not been published.",
    )
    # Kept in step with the latest public status update by services.record_status_update.
    status = models.CharField(max_length=20, choices=Status, blank=True, editable=False)
    progress_note = models.TextField(blank=True, editable=False)
    status_date = models.DateField(null=True, blank=True, editable=False)
    last_updated_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        indexes = [
            models.Index(fields=["status", "number"]),
            models.Index(fields=["focus_area", "number"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=FIRST_NUMBER) & Q(number__lte=LAST_NUMBER),
                name="recommendation_number_in_plan",
                violation_error_message="The plan's recommendations are numbered 1 to 82.",
            )
        ]

    def __str__(self):
        title = self.display_title
        if title:
            return f"{self.number}. {title}"
        return gettext("Recommendation %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("recommendations:detail", args=[self.number])

    @property
    def display_title(self) -> str:
        return self.short_title or self.title

    @property
    def details_missing(self) -> bool:
        """A row the source copy lost (24 to 37) whose text staff have not added yet."""
        return not self.details_published and not self.text

    @property
    def still_missing(self) -> bool:
        """Neither text nor status known: listed in the tracker's group of missing rows. A row
        that gets either leaves the group, as the headline's count of missing rows does."""
        return self.details_missing and not self.status


class StatusUpdateQuerySet(models.QuerySet):
    """The reads of the history. `in_force().latest_first()` is THE rule for a current status:
    every page, filter, feed, download, chart and email reads it (or the status it set)."""

    def in_force(self):
        """Public updates that have not been retracted: the ones a current status comes from."""
        return self.filter(public=True, retracted_at__isnull=True)

    def latest_first(self):
        """Newest first by effective date, ties by recording order (the later recorded wins).

        An update's effective date is its own date; updates are dated when recorded (staff
        posts default to the day, an import takes the report's date), so the only undated ones
        are the rows of the city's undated status report: the starting point, older than any
        dated update.
        """
        return self.order_by(F("date").desc(nulls_last=True), "-recorded_at", "-pk")

    def starting_point(self):
        """The city's undated status report as first loaded: the tracker's starting point."""
        return self.filter(date__isnull=True, source=SOURCE_REPORT)

    def starting_counts(self) -> list[dict]:
        """The starting point, counted: [{code, label, count}] in the plan's status order, the
        statuses it holds only ([] once it is gone or before the content is loaded)."""
        counts = dict(
            self.starting_point()
            .in_force()
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
        )
        return [
            {"code": code, "label": label, "count": counts[code]}
            for code, label in Status.choices
            if counts.get(code)
        ]

    def public_history(self):
        """What the public may read of the history: public updates, the newest first.

        Retracted updates stay in it (shown struck through): nothing is ever deleted.
        """
        return self.filter(public=True).select_related("recommendation").latest_first()

    def changes_since(self, since=None):
        """The change log: public updates except the starting point, newest first; from an
        aware datetime on when given, what was recorded or retracted since then (a reader who
        polls with ?since= misses nothing, corrections included)."""
        history = self.public_history().exclude(date__isnull=True, source=SOURCE_REPORT)
        return history.filter(touched_since(since)) if since else history

    def first_change_day(self):
        """The Birmingham day of the change log's first entry (None while it is empty): a
        retraction comes after its recording, so the first recording is the first change."""
        first = self.changes_since().aggregate(first=models.Min("recorded_at"))["first"]
        return timezone.localdate(first) if first else None


def touched_since(since) -> Q:
    """Recorded or retracted at `since` (an aware datetime) or later: the one meaning of ?since=."""
    return Q(recorded_at__gte=since) | Q(retracted_at__gte=since)


class StatusUpdate(StatusDisplay, models.Model):
    """One entry in a recommendation's public history. Append-only: corrections are new entries."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="updates"
    )
    status = models.CharField(max_length=20, choices=Status)
    note = models.TextField(max_length=2000, blank=True, validators=[MaxLengthValidator(2000)])
    date = models.DateField(
        null=True, blank=True, help_text="When it happened; empty when the source gives no date."
    )
    source = models.CharField(max_length=100, default=STAFF_SOURCE)
    author = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    public = models.BooleanField(default=True)
    recorded_at = models.DateTimeField(auto_now_add=True, db_index=True)
    previous_status = models.CharField(
        max_length=20,
        choices=Status,
        blank=True,
        editable=False,
        help_text="The recommendation's status just before this update ('' when it had none).",
    )
    source_text = models.TextField(
        blank=True,
        editable=False,
        help_text="The note exactly as the source report gives it, for updates from a report.",
    )
    # A correction: set once by services.retract_status_update, never cleared.
    retracted_at = models.DateTimeField(null=True, blank=True, editable=False)
    retraction_reason = models.TextField(max_length=500, blank=True, editable=False)
    retracted_by = models.ForeignKey(
        "auth.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = StatusUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        get_latest_by = ["recorded_at", "pk"]
        indexes = [
            models.Index(fields=["recommendation", "public", "recorded_at"]),
            models.Index(fields=["public", "date"], name="statusupdate_public_date"),
            # And, on PostgreSQL, statusupdate_history_order (migration 0005): the public
            # history in its order (latest_first), for the change log's deep pages.
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(retracted_at__isnull=True) | ~Q(retraction_reason=""),
                name="statusupdate_retraction_has_reason",
                violation_error_message="A retraction needs a reason.",
            )
        ]
        verbose_name = "status update"

    def __str__(self):
        return f"{self.recommendation.number}: {self.get_status_display()}"

    def get_absolute_url(self):
        return f"{self.recommendation.get_absolute_url()}#update-{self.pk}"

    def get_previous_status_display(self) -> str:
        status = self.previous_status
        return status_labels(get_language()).get(status, status) if status else ""

    @property
    def retracted(self) -> bool:
        return self.retracted_at is not None

    @property
    def recorded_on(self):
        """The day it was recorded, in Birmingham."""
        return timezone.localdate(self.recorded_at) if self.recorded_at else None

    @property
    def recorded_another_day(self) -> bool:
        """Dated one day and recorded another (a backdated update, a report imported later)."""
        return self.date is not None and self.recorded_on not in (None, self.date)

    @property
    def credit(self) -> str:
        """Who the public history credits: COPE staff, or the report the update came from, said
        in the page's language (`source` keeps the English the open data gives)."""
        return credit_in(get_language(), STAFF_SOURCE if self.author_id else self.source)
