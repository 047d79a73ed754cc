"""Residents who follow the safety plan or events by email, and what they may be told.

No account: a request (address and topic) waits for the signed link emailed to the address
(double opt-in); confirmed, the address becomes a follower with a private manage link, and each
subscription has its own one-click unsubscribe token. An unconfirmed request is deleted after
7 days, an ended subscription at once: nothing is kept that no longer serves the person.

Each address keeps the language it was given in (the page's, English or Spanish): every email
to it is written in that language, with links to the pages in it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from recommendations.models import Recommendation


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Topic(models.TextChoices):
    PLAN = "plan", gettext_lazy("The whole safety plan")
    RECOMMENDATION = "recommendation", gettext_lazy("One recommendation")
    EVENTS = "events", gettext_lazy("Upcoming events")


class Frequency(models.TextChoices):
    EACH = "each", gettext_lazy("An email for each change")
    WEEKLY = "weekly", gettext_lazy("A weekly digest")


def language_field():
    return models.CharField(
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text="The language of the pages the address was given on: its emails are in it.",
    )


class Followed(models.Model):
    """What is followed, and how often the follower hears of it."""

    topic = models.CharField(max_length=20, choices=Topic)
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    precinct = models.ForeignKey(
        "precincts.Precinct", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    frequency = models.CharField(max_length=10, choices=Frequency, default=Frequency.EACH)

    class Meta:
        abstract = True

    @property
    def description(self) -> str:
        """What is followed, to go inside a sentence, in the active language."""
        if self.topic == Topic.RECOMMENDATION:
            return _("safety plan recommendation %(number)s") % {
                "number": self.recommendation.number
            }
        if self.topic == Topic.EVENTS:
            if self.precinct_id:
                return _("upcoming events of the %(precinct)s") % {"precinct": self.precinct.name}
            if self.program_id:
                return _("upcoming events of the %(program)s program") % {
                    "program": self.program.name
                }
            return _("upcoming COPE events")
        return _("the city's public-safety plan")

    @property
    def page_url(self) -> str:
        if self.topic == Topic.RECOMMENDATION:
            return self.recommendation.get_absolute_url()
        if self.topic == Topic.EVENTS:
            return self.precinct.get_absolute_url() if self.precinct_id else reverse("events:list")
        return reverse("recommendations:tracker")

    def same_topic(self) -> dict:
        return {
            "topic": self.topic,
            "recommendation_id": self.recommendation_id,
            "precinct_id": self.precinct_id,
            "program_id": self.program_id,
        }


class FollowRequest(Followed):
    """An address waiting for its confirmation link to be followed: deleted after 7 days."""

    email = models.EmailField()
    language = language_field()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Hashes, never an address in clear: the mailbox the address reaches and the client's
    # bucket, so the limits can be counted here while the shared cache is away.
    mailbox_key = models.CharField(max_length=80, blank=True, db_index=True, editable=False)
    # What the confirmation link carries (signed): random, so it tells nothing of other requests.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    client_key = models.CharField(max_length=80, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = "follow request"

    def __str__(self):
        return f"Follow request {self.pk}"


class Follower(models.Model):
    email = models.EmailField(unique=True)
    language = language_field()
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The last email that could not be built or sent to this address, and why (never the
    # address itself in the reason).
    failed_at = models.DateTimeField(null=True, blank=True, editable=False)
    failure = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = "follower"

    def __str__(self):
        return f"Follower {self.pk}"


class SubscriptionQuerySet(models.QuerySet):
    def told_of(self, notice: "Notice"):
        """The subscriptions whose topic covers the notice."""
        if notice.kind in Notice.PLAN_KINDS:
            return self.filter(
                Q(topic=Topic.PLAN)
                | Q(topic=Topic.RECOMMENDATION, recommendation_id=notice.recommendation_id)
            )
        event = notice.event
        return self.filter(topic=Topic.EVENTS).filter(
            Q(precinct__isnull=True, program__isnull=True)
            | Q(precinct_id=event.precinct_id)
            | Q(program__in=event.programs.all())
        )

    def counts(self):
        """How many follow each topic, by recommendation, precinct and program: no addresses."""
        return (
            self.order_by()
            .values("topic", "recommendation__number", "precinct__name", "program__name")
            .annotate(followers=models.Count("pk"))
            .order_by("topic", "recommendation__number", "precinct__name", "program__name")
        )


def followers_of(thing) -> int:
    """How many people a change to `thing` is told to (core.audience asks): for a
    recommendation, those who follow it or the whole plan, each person once."""
    if not isinstance(thing, Recommendation):
        return 0
    return (
        Subscription.objects.filter(
            Q(topic=Topic.PLAN) | Q(topic=Topic.RECOMMENDATION, recommendation_id=thing.pk)
        )
        .values("follower")
        .distinct()
        .count()
    )


class Subscription(Followed):
    follower = models.ForeignKey(Follower, on_delete=models.CASCADE, related_name="subscriptions")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # The last notice this subscription was told of: each is sent at most once, in order.
    last_notice_id = models.PositiveBigIntegerField(default=0, editable=False)
    last_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(auto_now_add=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["follower", "topic", "pk"]
        indexes = [models.Index(fields=["topic", "frequency"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(topic="recommendation") | Q(recommendation__isnull=False),
                name="subscription_recommendation_named",
                violation_error_message="Following one recommendation needs its number.",
            ),
            models.CheckConstraint(
                condition=Q(precinct__isnull=True) | Q(program__isnull=True),
                name="subscription_one_events_filter",
                violation_error_message="Follow one precinct's or one program's events, not both.",
            ),
        ]

    def __str__(self):
        return f"Subscription {self.pk}: {self.description}"

    def pending_notices(self, *, up_to=None):
        """What this subscription has not been told yet and is due, oldest first."""
        notices = Notice.objects.due().filter(pk__gt=self.last_notice_id)
        if up_to is not None:
            notices = notices.filter(pk__lte=up_to)
        if self.topic == Topic.PLAN:
            notices = notices.filter(kind__in=Notice.PLAN_KINDS)
        elif self.topic == Topic.RECOMMENDATION:
            notices = notices.filter(
                kind__in=Notice.PLAN_KINDS, recommendation_id=self.recommendation_id
            )
        else:
            notices = notices.filter(kind__in=Notice.EVENT_KINDS)
            if self.precinct_id:
                notices = notices.filter(event__precinct_id=self.precinct_id)
            elif self.program_id:
                notices = notices.filter(event__programs=self.program_id)
        return notices.select_related("recommendation", "status_update", "event").order_by("pk")


class NoticeQuerySet(models.QuerySet):
    def due(self, now=None):
        """Past their undo window: what may be sent now."""
        return self.filter(due_at__lte=now or timezone.now())

    def waiting(self, now=None):
        """Still inside their undo window."""
        return self.filter(due_at__gt=now or timezone.now())


class Notice(models.Model):
    """Something followers may be told: a public status change, a correction, an event
    published or cancelled. Recorded when the change is saved; it goes out at `due_at`, the end
    of its undo window (every notice waiting then goes out with it, one email per follower)."""

    class Kind(models.TextChoices):
        STATUS = "status", pgettext_lazy("notice", "Status change")
        CORRECTION = "correction", pgettext_lazy("notice", "Correction")
        EVENT_PUBLISHED = "event-published", pgettext_lazy("notice", "Event published")
        EVENT_CANCELLED = "event-cancelled", pgettext_lazy("notice", "Event cancelled")

    PLAN_KINDS = (Kind.STATUS, Kind.CORRECTION)
    EVENT_KINDS = (Kind.EVENT_PUBLISHED, Kind.EVENT_CANCELLED)

    kind = models.CharField(max_length=20, choices=Kind)
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    status_update = models.ForeignKey(
        "recommendations.StatusUpdate",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Set once every follower who wants each change has been sent it (or its failure recorded).
    dispatched_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["kind", "recommendation"]),
            models.Index(fields=["kind", "event"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def subject(self) -> str:
        """The subject of the email telling of it, in the active language."""
        if self.kind == self.Kind.STATUS:
            return _("Safety plan recommendation %(number)s: %(status)s") % {
                "number": self.recommendation.number,
                "status": self.status_update.get_status_display(),
            }
        if self.kind == self.Kind.CORRECTION:
            return _("Correction: safety plan recommendation %(number)s") % {
                "number": self.recommendation.number
            }
        if self.kind == self.Kind.EVENT_CANCELLED:
            return _("Cancelled: %(event)s") % {"event": self.event.title}
        return _("New COPE event: %(event)s") % {"event": self.event.title}


class FollowerCount(Subscription):
    """Counts of followers per topic, for editors (the admin shows no address through it)."""

    class Meta:
        proxy = True
        verbose_name = "follower count"
        verbose_name_plural = "followers by topic"
