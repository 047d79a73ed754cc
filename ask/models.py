"""Ask COPE: a group asks for a speaker, neighbors ask for a community walk or a meeting with
their precinct's officers. Personal data, seen only by the staff who work the queue."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    SPEAKER = "speaker", _("A speaker for a group")
    WALK = "walk", _("A community walk")
    MEETING = "meeting", _("A meeting with officers")


class RequestState(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    SCHEDULED = "scheduled", "Scheduled"
    DECLINED = "declined", "Declined"
    DONE = "done", "Done"


CLOSED_STATES = [RequestState.DECLINED, RequestState.DONE]
NEIGHBORHOOD_KINDS = [RequestKind.WALK, RequestKind.MEETING]  # routed to a precinct's queue


class RequestLanguage(models.TextChoices):
    """The language of the form the person used: their emails go out in it."""

    ENGLISH = "en", "English"
    SPANISH = "es", "Spanish"


class RequestQuerySet(models.QuerySet):
    def not_notified(self):
        """Requests whose confirmation or staff notification has not gone out yet."""
        unconfirmed = (
            models.Q(confirmation_sent_at__isnull=True)
            & ~models.Q(email="")
            & models.Q(notification_error="")
        )
        return self.filter(unconfirmed | models.Q(staff_notified_at__isnull=True))

    def due_for_purge(self, *, before):
        """Closed requests closed before `before`, and new ones nobody touched since then (the
        rule sign-ups follow)."""
        closed = models.Q(state__in=CLOSED_STATES, state_changed_at__lt=before)
        untouched = models.Q(state=RequestState.NEW, updated_at__lt=before)
        return self.filter(closed | untouched)


class Request(models.Model):
    """A request for a speaker, a community walk or a meeting with officers."""

    reference = models.CharField(max_length=12, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=RequestKind, db_index=True)
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The program a group asked for (a speaker request).",
    )
    precinct = models.ForeignKey(
        "precincts.Precinct",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The precinct whose queue a walk or meeting request is in.",
    )
    organization = models.CharField("group or organization", max_length=200, blank=True)
    group_kind = models.CharField("kind of group", max_length=200, blank=True)
    contact_name = models.CharField("contact's name", max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True, help_text="Stored as +1XXXXXXXXXX.")
    first_choice = models.DateField("first choice of date")
    second_choice = models.DateField("second choice of date", null=True, blank=True)
    third_choice = models.DateField("third choice of date", null=True, blank=True)
    time_of_day = models.CharField("preferred time", max_length=100, blank=True)
    online = models.BooleanField("online", default=False)
    place = models.CharField(
        "place or street", max_length=200, blank=True, help_text="An address, or the streets."
    )
    audience_size = models.PositiveIntegerField("expected audience", null=True, blank=True)
    topics = models.TextField("what they want to talk about", max_length=1000)
    needs = models.TextField("accessibility or language needs", max_length=1000, blank=True)
    accepted_privacy_notice = models.BooleanField(default=False)
    consented_to_publish = models.BooleanField(
        "may publish the date, time and place",
        default=False,
        help_text="Only then can it be scheduled as a public event (never their name or contact).",
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The public event it was scheduled as.",
    )
    language = models.CharField(
        max_length=2,
        choices=RequestLanguage,
        default=RequestLanguage.ENGLISH,
        help_text="The language of the form they used; their emails go out in it.",
    )
    state = models.CharField(
        max_length=12, choices=RequestState, default=RequestState.NEW, db_index=True
    )
    state_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    staff_notes = models.TextField(
        blank=True, help_text="Private: only the staff who work requests see these notes."
    )
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    staff_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    notification_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    notification_error = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "request"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="", phone=""),
                name="request_has_a_way_to_reach",
                violation_error_message="A request needs an email address or a phone number.",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="speaker", program__isnull=False)
                | models.Q(kind__in=["walk", "meeting"], precinct__isnull=False),
                name="request_has_its_program_or_precinct",
                violation_error_message="A speaker request names its program; a walk or "
                "meeting request, its precinct.",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="speaker") | models.Q(online=True) | ~models.Q(place=""),
                name="speaker_request_has_a_place",
                violation_error_message="A speaker request is online or gives an address.",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_notified(self) -> bool:
        confirmed = (
            self.confirmation_sent_at is not None or not self.email or bool(self.notification_error)
        )
        return confirmed and self.staff_notified_at is not None

    @property
    def dates(self) -> list:
        return [d for d in (self.first_choice, self.second_choice, self.third_choice) if d]

    def get_admin_url(self):
        return reverse("admin:ask_request_change", args=[self.pk])


class RequestStateChange(models.Model):
    """Who moved a request from one state to another, and when: the queue's history."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="changes")
    from_state = models.CharField(max_length=12, choices=RequestState)
    to_state = models.CharField(max_length=12, choices=RequestState)
    changed_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.from_state} → {self.to_state}"


class RegistrationState(models.TextChoices):
    SEATED = "seated", "Has a seat"
    WAITING = "waiting", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"


class RegistrationQuerySet(models.QuerySet):
    def seated(self):
        return self.filter(state=RegistrationState.SEATED)

    def waiting_in_order(self):
        """The waiting list, first come first served."""
        return self.filter(state=RegistrationState.WAITING).order_by("created_at", "pk")

    def due_for_purge(self, *, before):
        """Registrations for classes that ended before `before`, and those cancelled before it."""
        ended = models.Q(event__ends_at__lt=before)
        cancelled = models.Q(state=RegistrationState.CANCELLED, state_changed_at__lt=before)
        return self.filter(ended | cancelled)


class Registration(models.Model):
    """A seat, or a place on the waiting list, in a class (an event with seats). Personal data,
    seen only by the staff who work requests."""

    reference = models.CharField(max_length=12, unique=True, editable=False)
    event = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, related_name="registrations"
    )
    full_name = models.CharField(max_length=200)
    email = models.EmailField(help_text="The confirmation, the cancel link and the reminder.")
    phone = models.CharField(max_length=20, blank=True, help_text="Stored as +1XXXXXXXXXX.")
    state = models.CharField(max_length=10, choices=RegistrationState, db_index=True)
    state_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    token = models.CharField(max_length=64, unique=True, editable=False)
    language = models.CharField(
        max_length=2, choices=RequestLanguage, default=RequestLanguage.ENGLISH
    )
    accepted_privacy_notice = models.BooleanField(default=False)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    promotion_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    notification_error = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "created_at"]
        verbose_name = "class registration"

    def __str__(self):
        return self.reference

    def get_cancel_url(self):
        return reverse("ask:cancel_registration", args=[self.token])


class RequestDecisionEmail(models.Model):
    """The editable email sent, if staff choose, when a request is scheduled or declined."""

    state = models.CharField(
        max_length=12,
        choices=[(RequestState.SCHEDULED, "Scheduled"), (RequestState.DECLINED, "Declined")],
        unique=True,
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(
        help_text="Plain text. {name}, {reference} and {event} (the public event's address, if "
        "there is one) are replaced when sent."
    )

    class Meta:
        verbose_name = "request decision email"

    def __str__(self):
        return f"Email when {self.get_state_display().lower()}"
