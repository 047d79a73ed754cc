from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.translation import gettext, npgettext, pgettext

from core import maps
from core.models import Publishable, PublishableQuerySet
from events import recurrence

PLAIN_TEXT_HELP = "Plain text. Leave a blank line between paragraphs; HTML is shown as typed."
SLUG_HELP = "Part of the page's address. It cannot change once saved: people bookmark it."


def clock(moment) -> str:
    """The time of day in the active language's TIME_FORMAT: "4:00 PM", in Spanish "4:00 p. m."."""
    return dateformat.format(moment, formats.get_format("TIME_FORMAT"))


def when(starts_at, ends_at) -> str:
    """Birmingham time in the active language: "Wednesday, March 19, 2025, 4:00 PM to 6:00 PM",
    in Spanish "miércoles 19 de marzo de 2025, de 4:00 p. m. a 6:00 p. m."; over several days
    "del sábado 9 de enero de 2027 a las 9:00 a. m. al domingo 10 de enero a la 1:00 p. m."."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    day = pgettext("date format: weekday and date of an event", "l, F j, Y")
    if start.date() == end.date():
        sentence = pgettext(
            "an event's day, from a time to another time", "%(day)s, %(start)s to %(end)s"
        )
        return sentence % {
            "day": dateformat.format(start, day),
            "start": clock(start),
            "end": clock(end),
        }
    if start.year == end.year:
        last_day = pgettext(
            "date format: weekday and date of an event's last day, in the year of its first day",
            "l, F j, Y",
        )
    else:
        last_day = day
    sentence = pgettext(
        "from a day and time to another day and time",
        "%(start_day)s, %(start_time)s to %(end_day)s, %(end_time)s",
    )
    return sentence % {
        "start_day": dateformat.format(start, day),
        "start_time": at_time(start),
        "end_day": dateformat.format(end, last_day),
        "end_time": at_time(end),
    }


def at_time(moment) -> str:
    """A time of day after a date, "9:00 AM"; Spanish puts an article before it that agrees with
    the hour, "a la 1:00 p. m.", "a las 9:00 a. m." (a plural form chosen by the hour)."""
    hour = int(dateformat.format(moment, "g"))
    return npgettext(
        "at a time of day (Spanish: singular 'a la %(time)s' for one o'clock, 'a las' otherwise)",
        "%(time)s",
        "%(time)s",
        hour,
    ) % {"time": clock(moment)}


def over(now) -> Q:
    """Over: its (last) occurrence has ended; a recurring series counts until its last one."""
    return Q(ends_at__lt=now) & (Q(series_ends_at__isnull=True) | Q(series_ends_at__lt=now))


CALENDAR_PAST_DAYS = 31
CALENDAR_FUTURE_DAYS = 366
CALENDAR_MAX_EVENTS = 200


class EventQuerySet(PublishableQuerySet):
    def upcoming(self, now=None):
        """Events not yet over (so one under way counts), soonest first."""
        return self.exclude(over(now or timezone.now())).order_by("starts_at", "pk")

    def past(self, now=None):
        """Events that are over, the most recent first."""
        return self.filter(over(now or timezone.now())).order_by("-starts_at", "-pk")

    def upcoming_then_past(self, now=None):
        """Every event: those not over yet soonest first, then those over, the latest first."""
        now = now or timezone.now()
        is_over = over(now)
        return self.annotate(
            is_past=Case(When(is_over, then=Value(True)), default=Value(False))
        ).order_by(
            "is_past",
            Case(When(~is_over, then=F("starts_at"))).asc(nulls_last=True),
            Case(When(is_over, then=F("starts_at"))).desc(nulls_last=True),
            "pk",
        )

    def for_calendar(self, now=None):
        """What the subscribable calendar holds: a window calendar apps read quickly, kept
        small however many events there are (issue 27: under 200 KB at 10,000 events). Events
        over within the last CALENDAR_PAST_DAYS and those starting within CALENDAR_FUTURE_DAYS,
        soonest first, at most CALENDAR_MAX_EVENTS; older ones keep their own .ics on their page.
        The window starts at a midnight, so the file changes once a day, not every request."""
        today = timezone.localtime(now or timezone.now()).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        since = today - timedelta(days=CALENDAR_PAST_DAYS)
        until = today + timedelta(days=CALENDAR_FUTURE_DAYS)
        window = self.published().exclude(over(since)).filter(starts_at__lt=until)
        return window.order_by("starts_at", "pk")[:CALENDAR_MAX_EVENTS]

    def for_listing(self):
        return self.select_related("precinct")

    def next_public(self, *, limit, now=None, **related):
        """The next published events, optionally for one program, precinct or recommendation."""
        return list(self.published().upcoming(now).filter(**related)[:limit])


class Event(Publishable):
    """A meeting with the public: a community walk, a feedback session, an academy class."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True, help_text=f"/events/<slug>/. {SLUG_HELP}")
    starts_at = models.DateTimeField("starts", help_text="Birmingham time (America/Chicago).")
    ends_at = models.DateTimeField("ends", help_text="Birmingham time (America/Chicago).")
    place = models.CharField(
        max_length=200, blank=True, help_text="The venue's name, like Birmingham Crossplex."
    )
    address = models.CharField(
        max_length=300, blank=True, help_text="Street address; the Directions link searches it."
    )
    online_url = models.URLField(
        "online link", blank=True, help_text="Where to join online, when there is a link to give."
    )
    precinct = models.ForeignKey(
        "precincts.Precinct",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    programs = models.ManyToManyField("programs.Program", blank=True, related_name="events")
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation",
        blank=True,
        related_name="events",
        verbose_name="safety plan recommendations",
    )
    description = models.TextField(blank=True, help_text=PLAIN_TEXT_HELP)
    is_cancelled = models.BooleanField(
        "cancelled",
        default=False,
        help_text="The event stays listed and its page says loudly that it is cancelled.",
    )
    # Recurrence (events/recurrence.py): the dates above are the first occurrence's.
    repeats = models.CharField(
        max_length=20,
        blank=True,
        choices=recurrence.CHOICES,
        help_text="Leave empty for a one-time event. The starts and ends above are the first "
        "occurrence's.",
    )
    repeat_until = models.DateField(
        "repeats until", null=True, blank=True, help_text="The last date it can take place on."
    )
    skipped_dates = models.TextField(
        "dates without the event",
        blank=True,
        help_text="Cancelled or skipped occurrences, one date per line, like 2026-12-08. "
        "The page and the calendar download leave them out.",
    )
    series_ends_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the last occurrence ends."
    )
    sequence = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Its version for calendar apps (iCalendar SEQUENCE): one more at each change.",
    )
    capacity = models.PositiveIntegerField(
        "seats",
        null=True,
        blank=True,
        help_text="For a class people register for on the portal (a Community Police Academy "
        "class, a ride-along session): the number of seats. Empty: no registration. For a "
        "one-time event only: schedule each date of a recurring class as its own event.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["is_published", "ends_at"]),
            # /events/ and the calendar: upcoming soonest first, past latest first.
            models.Index(fields=["is_published", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="event_ends_after_it_starts",
                violation_error_message="An event cannot end before it starts.",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.slug])

    @property
    def ics_url(self):
        """In the page's language: /es/events/<slug>.ics has the Spanish title."""
        return reverse("events:event_ics", args=[self.slug])

    @property
    def uid(self) -> str:
        """The calendar UID: the slug never changes once saved, so neither does this."""
        host = settings.SITE_URL.split("://", 1)[-1].split("/")[0].split(":")[0]
        return f"event-{self.slug}@{host}"

    @property
    def display_title(self) -> str:
        """The title as people see it everywhere: a cancellation is never missed."""
        if self.is_cancelled:
            return gettext("Cancelled: %(title)s") % {"title": self.title}
        return self.title

    @property
    def location(self) -> str:
        return ", ".join(part for part in (self.place, self.address) if part)

    @property
    def directions(self):
        """Directions to the address (core/maps.py), or None when there is no address."""
        if not self.address:
            return None
        query = self.address
        if "birmingham" not in query.lower():
            query += ", Birmingham, AL"
        return maps.directions(address=query)

    @property
    def when(self) -> str:
        """Like "Wednesday, March 19, 2025, 4:00 PM to 6:00 PM" (see `when`)."""
        return when(self.starts_at, self.ends_at)

    def is_over(self, now=None) -> bool:
        return (self.series_ends_at or self.ends_at) < (now or timezone.now())

    def clean(self):
        super().clean()
        recurrence.validate(self)
        if self.capacity is not None and self.repeats:
            raise ValidationError(
                {
                    "capacity": "People register for one date: schedule each date of a "
                    "recurring class as its own one-time event with its seats."
                }
            )

    @property
    def takes_registrations(self) -> bool:
        return bool(self.capacity) and not self.is_cancelled and not self.is_over()

    def save(self, *args, **kwargs):
        repeating = self.repeats and self.repeat_until
        self.series_ends_at = recurrence.series_end(self) if repeating else None
        if not self._state.adding:
            self.sequence += 1  # a subscribed calendar replaces its copy only for a higher one
            if kwargs.get("update_fields") is not None:  # a partial save is a change too
                kwargs["update_fields"] = {*kwargs["update_fields"], "sequence", "updated_at"}
        super().save(*args, **kwargs)

    @property
    def next_starts_at(self):
        """When the next occurrence starts (the first one for a one-time event)."""
        return recurrence.next_start(self) if self.repeats else self.starts_at

    @cached_property
    def shown_starts_at(self):
        """The next occurrence's start, or the last one's when the series is over."""
        if not self.repeats:
            return self.starts_at
        upcoming = self.next_starts_at
        if upcoming:
            return upcoming
        if self.series_ends_at:  # over: its last start, from when the series ends
            return timezone.localtime(self.series_ends_at - (self.ends_at - self.starts_at))
        return (recurrence.starts(self) or [self.starts_at])[-1]

    @property
    def next_when(self) -> str:
        """The `when` of the next occurrence, or of the last one when the series is over."""
        start = self.shown_starts_at
        return when(start, start + (self.ends_at - self.starts_at))

    @property
    def repeat_description(self) -> str:
        return recurrence.describe(self) if self.repeats else ""

    @property
    def upcoming_skipped_dates(self) -> list:
        today = timezone.localdate()
        return [d for d in recurrence.skipped_dates(self.skipped_dates) if d >= today]


class NewsPostQuerySet(PublishableQuerySet):
    def newest_first(self):
        return self.order_by("-date", "-pk")


class NewsPost(Publishable):
    """A short post written by staff; news from elsewhere is summarized and credited, not copied."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True, help_text=f"/news/<slug>/. {SLUG_HELP}")
    date = models.DateField(help_text="The day the news happened or was reported.")
    date_note = models.CharField(
        max_length=200,
        blank=True,
        help_text="When the source gives the date only in part, say so here, as it gives it.",
    )
    summary = models.CharField(max_length=300, help_text="One or two sentences, for the list.")
    body = models.TextField(
        blank=True,
        help_text=PLAIN_TEXT_HELP + " Write it in our words: summarize and credit other "
        "sources, never copy their articles.",
    )
    source_name = models.CharField(
        max_length=150, blank=True, help_text="Who reported it first, credited on the page."
    )
    source_url = models.URLField("source link", blank=True)
    programs = models.ManyToManyField("programs.Program", blank=True, related_name="news_posts")
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation",
        blank=True,
        related_name="news_posts",
        verbose_name="safety plan recommendations",
    )
    events = models.ManyToManyField(Event, blank=True, related_name="news_posts")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NewsPostQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "news post"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:news_detail", args=[self.slug])
