from django.db import models
from django.db.models import Prefetch, ProtectedError, StringAgg, Value
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from core.models import Publishable, PublishableQuerySet

YOUTH_KIND = "youth"  # the only kind people under 18 may sign up for
# When a volunteer can give time: (field of VolunteerSignup, label on the form).
AVAILABILITY = [
    ("weekday_daytime", _("Weekday daytime")),
    ("weekday_evenings", _("Weekday evenings")),
    ("weekends", _("Weekends")),
]
PROGRAM_WITH_SIGNUPS = (
    "This program has volunteer sign-ups, so it cannot be deleted: unpublish it instead."
)
PARAGRAPH_HELP = "Plain text. Leave a blank line between paragraphs; HTML is shown as typed."


class ProgramKindQuerySet(models.QuerySet):
    def with_published_programs(self):
        """Kinds in order, each with its published programs in order: two queries in all."""
        return self.order_by("order").prefetch_related(
            Prefetch(
                "programs",
                queryset=Program.objects.published().order_by("order", "name"),
                to_attr="published_programs",
            )
        )


class ProgramKind(models.Model):
    """A group of programs: community policing units, volunteer, youth, educational."""

    slug = models.SlugField(unique=True, help_text="Part of the address: /programs/#<slug>.")
    name = models.CharField(max_length=100)
    introduction = models.TextField(blank=True, help_text=PARAGRAPH_HELP)
    order = models.PositiveSmallIntegerField(default=0)

    objects = ProgramKindQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        verbose_name = "program kind"

    def __str__(self):
        return self.name


class Door(models.TextChoices):
    """How people take part in a program: the one way in its page points to."""

    VOLUNTEER = "volunteer", "Volunteer: the volunteer sign-up form"
    REQUEST = "request", "Request: a group asks for it (a speaker)"
    CLASSES = "classes", "Classes: people register for its classes"
    CALL = "call", "Call: people phone COPE or their precinct"


class ProgramQuerySet(PublishableQuerySet):
    def taking_volunteers(self):
        """The programs the volunteer form offers: those whose way in is volunteering."""
        return self.published().filter(door=Door.VOLUNTEER)

    def with_signups(self):
        return self.filter(signups__isnull=False).distinct()


class Program(Publishable):
    kind = models.ForeignKey(ProgramKind, on_delete=models.PROTECT, related_name="programs")
    slug = models.SlugField(
        unique=True,
        help_text="The page's address, /programs/<slug>/. It cannot change once saved: "
        "people bookmark it.",
    )
    name = models.CharField(max_length=150)
    summary = models.CharField(
        max_length=200, blank=True, help_text="One line, shown in the list of programs."
    )
    description = models.TextField(
        blank=True,
        help_text=PARAGRAPH_HELP + " Leave empty rather than guess: the page then says COPE "
        "gives the details by phone.",
    )
    audience = models.TextField("who it is for", blank=True, help_text=PARAGRAPH_HELP)
    how_to_join = models.TextField("how to take part", blank=True, help_text=PARAGRAPH_HELP)
    requirements = models.TextField(
        "requirements (who can take part)",
        blank=True,
        help_text="Who can take part and what they need (age, checks, time), as COPE sets them: "
        "shown on the page and before its form (volunteer, request or class registration). "
        "Leave empty rather than guess: nothing is shown then. " + PARAGRAPH_HELP,
    )
    contact_by_precinct = models.BooleanField(
        "contact through the precincts",
        default=False,
        help_text="Residents reach this program by calling their neighborhood precinct.",
    )
    door = models.CharField(
        "how people take part",
        max_length=10,
        choices=Door,
        default=Door.CALL,
        help_text="One way in per program. Volunteer: a Sign up button, and the volunteer form "
        "lists it. Request: a Request a speaker button (/programs/<slug>/request/). Classes: the "
        "page lists its upcoming classes (its events with seats) to register for. Call: none of "
        "these; the page gives the phone number.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Position within its kind.")
    is_published = models.BooleanField("published", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["kind__order", "order", "name"]
        indexes = [models.Index(fields=["is_published", "order"])]

    def __str__(self):
        return self.name

    @property
    def takes_signups(self) -> bool:
        return self.door == Door.VOLUNTEER

    @property
    def takes_requests(self) -> bool:
        return self.door == Door.REQUEST

    @property
    def has_classes(self) -> bool:
        return self.door == Door.CLASSES

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("programs:detail", args=[self.slug])


class SignupState(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


CLOSED_STATES = [SignupState.ACCEPTED, SignupState.DECLINED, SignupState.WITHDRAWN]


class AgeBand(models.TextChoices):
    UNDER_18 = "under-18", _("Under 18")
    ADULT = "18-or-over", _("18 or over")


class SignupLanguage(models.TextChoices):
    """The language of the form a volunteer used: their emails go out in it."""

    ENGLISH = "en", "English"
    SPANISH = "es", "Spanish"


PROGRAM_SEPARATOR = "\x1f"  # the ASCII unit separator: no program name holds it


class VolunteerSignupQuerySet(models.QuerySet):
    def not_notified(self):
        """Sign-ups whose confirmation or coordinator notification has not gone out yet."""
        unconfirmed = (
            models.Q(confirmation_sent_at__isnull=True)
            & ~models.Q(email="")
            & models.Q(notification_error="")
        )
        return self.filter(unconfirmed | models.Q(coordinators_notified_at__isnull=True))

    def for_export(self):
        """Each sign-up with its programs' English names in one column (joined by
        PROGRAM_SEPARATOR): one query however many rows, with no list of ids inline."""
        return self.annotate(
            program_names=StringAgg("programs__name_en", delimiter=Value(PROGRAM_SEPARATOR))
        )

    def due_for_purge(self, *, before):
        """Closed sign-ups closed before `before`, and new ones nobody touched since then."""
        closed = models.Q(state__in=CLOSED_STATES, state_changed_at__lt=before)
        untouched = models.Q(state=SignupState.NEW, updated_at__lt=before)
        return self.filter(closed | untouched)


class VolunteerSignup(models.Model):
    """A would-be volunteer's sign-up: personal data, seen only by volunteer coordinators."""

    reference = models.CharField(max_length=12, unique=True, editable=False)
    full_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True, help_text="Stored as +1XXXXXXXXXX.")
    zip_code = models.CharField("ZIP code", max_length=10)
    programs = models.ManyToManyField(Program, related_name="signups")
    weekday_daytime = models.BooleanField("weekday daytime", default=False)
    weekday_evenings = models.BooleanField("weekday evenings", default=False)
    weekends = models.BooleanField(default=False)
    age_band = models.CharField(max_length=12, choices=AgeBand)
    guardian_name = models.CharField("parent or guardian's name", max_length=200, blank=True)
    guardian_phone = models.CharField("parent or guardian's phone", max_length=20, blank=True)
    message = models.TextField("anything else", max_length=1000, blank=True)
    accepted_privacy_notice = models.BooleanField(default=False)
    consented_to_contact = models.BooleanField(default=False)
    language = models.CharField(
        max_length=2,
        choices=SignupLanguage,
        default=SignupLanguage.ENGLISH,
        help_text="The language of the form they used; their emails go out in it.",
    )
    state = models.CharField(
        max_length=12, choices=SignupState, default=SignupState.NEW, db_index=True
    )
    state_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    coordinator_notes = models.TextField(
        blank=True, help_text="Private: only volunteer coordinators see these notes."
    )
    confirmation_sent_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the volunteer's email went out."
    )
    coordinators_notified_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When coordinators were told."
    )
    notification_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    # Why an email to this sign-up could never be sent (the message could not be built): it is
    # not retried. Never the address itself in the log.
    notification_error = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VolunteerSignupQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "volunteer sign-up"
        permissions = [("export_volunteersignup", "Can export volunteer sign-ups")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="", phone=""),
                name="signup_has_a_way_to_reach",
                violation_error_message="A sign-up needs an email address or a phone number.",
            ),
            models.CheckConstraint(
                condition=models.Q(age_band="18-or-over")
                | (~models.Q(guardian_name="") & ~models.Q(guardian_phone="")),
                name="signup_under_18_has_guardian",
                violation_error_message="Under 18 needs a parent or guardian's name and phone.",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_notified(self) -> bool:
        confirmed = (
            self.confirmation_sent_at is not None or not self.email or bool(self.notification_error)
        )
        return confirmed and self.coordinators_notified_at is not None

    @property
    def availability(self) -> list[str]:
        return [label.lower() for field, label in AVAILABILITY if getattr(self, field)]


class SignupStateChange(models.Model):
    """Who moved a sign-up from one state to another, and when: the queue's history."""

    signup = models.ForeignKey(VolunteerSignup, on_delete=models.CASCADE, related_name="changes")
    from_state = models.CharField(max_length=12, choices=SignupState)
    to_state = models.CharField(max_length=12, choices=SignupState)
    changed_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.from_state} → {self.to_state}"


class DecisionEmail(models.Model):
    """The editable email sent, if the coordinator chooses, when a sign-up is decided."""

    state = models.CharField(
        max_length=12,
        choices=[(SignupState.ACCEPTED, "Accepted"), (SignupState.DECLINED, "Declined")],
        unique=True,
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(
        help_text="Plain text. {name}, {reference} and {programs} are replaced when sent."
    )

    class Meta:
        verbose_name = "decision email"

    def __str__(self):
        return f"Email when {self.get_state_display().lower()}"


@receiver(pre_delete, sender=Program, dispatch_uid="programs-keep-programs-with-signups")
def keep_programs_with_signups(sender, instance, **kwargs):
    """Deleting a program would silently take it off its sign-ups: refuse, whoever asks."""
    if instance.signups.exists():
        raise ProtectedError(PROGRAM_WITH_SIGNUPS, set())
