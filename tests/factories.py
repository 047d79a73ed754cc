"""Factories for every model, and the sign-up form as a volunteer fills it in: one place.

Each test makes just the rows it talks about, naming only the fields its assertions read::

    from factories import EditorFactory, EventFactory, signup_form

    event = EventFactory(title="North walk", precinct=PrecinctFactory())
    client.force_login(EditorFactory())
    client.post("/volunteer/", signup_form(email=""))

- A factory call saves a row (``.build()`` makes one without saving); the test needs the
  database (``db``, ``cope_content`` or ``pytestmark = pytest.mark.django_db``).
- Unique fields (slugs, numbers, usernames) come from sequences, so factory rows sit beside the
  seed content of ``cope_content`` without clashing. Pass a seed row where the test talks about
  one: ``VolunteerSignupFactory(programs=Program.objects.filter(slug="citizens-on-patrol"))``.
- Staff by role: ``EditorFactory``, ``CoordinatorFactory`` (the ``portal.roles`` groups) and
  ``SuperuserFactory``; each signs in with ``PASSWORD``. The ``editor`` and ``coordinator``
  fixtures of tests/conftest.py are these.
- ``StatusUpdateFactory`` posts through ``recommendations.services.record_status_update``, so
  the recommendation's current status follows, as when staff post.
- ``signup_form(**changes)`` is the POST data of a valid sign-up for the Chaplain Program of the
  seed content (pass ``programs=[...]`` without it); ``changes`` replace fields.
"""

from datetime import timedelta

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from ask.models import Request as AskRequest
from ask.models import RequestKind
from events.models import Event, NewsPost
from portal.models import SiteSettings
from portal.roles import COORDINATOR, EDITOR
from precincts.models import Precinct, ServiceArea
from programs.models import (
    AgeBand,
    DecisionEmail,
    Door,
    Program,
    ProgramKind,
    SignupState,
    SignupStateChange,
    VolunteerSignup,
)
from recommendations.models import FocusArea, Recommendation, Status, StatusUpdate

PASSWORD = "a long passphrase 42"


# Staff


def in_role(default):
    """The group of portal.roles the account is put in: ``role=`` or the factory's own."""

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create and (extracted or default):
            user.groups.add(Group.objects.get(name=extracted or default))

    return role


class StaffFactory(factory.django.DjangoModelFactory):
    """A staff account, in no role unless given one: ``StaffFactory(role=EDITOR)``."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    password = factory.django.Password(PASSWORD)
    is_staff = True
    role = in_role(None)


class EditorFactory(StaffFactory):
    username = factory.Sequence(lambda n: f"editor{n}")
    role = in_role(EDITOR)


class CoordinatorFactory(StaffFactory):
    username = factory.Sequence(lambda n: f"coordinator{n}")
    role = in_role(COORDINATOR)


class SuperuserFactory(StaffFactory):
    username = factory.Sequence(lambda n: f"it{n}")
    is_superuser = True


# Programs and volunteer sign-ups


class ProgramKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramKind

    slug = factory.Sequence(lambda n: f"kind-{n}")
    name = factory.Sequence(lambda n: f"Kind {n}")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    kind = factory.SubFactory(ProgramKindFactory)
    slug = factory.Sequence(lambda n: f"program-{n}")
    name = factory.Sequence(lambda n: f"Program {n}")
    door = Door.VOLUNTEER


class VolunteerSignupFactory(factory.django.DjangoModelFactory):
    """A sign-up for ``programs=`` (a new program when not given), as the form saves it."""

    class Meta:
        model = VolunteerSignup
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"V-T{n:05d}")
    full_name = "Pat Lee"
    email = "pat@example.org"
    zip_code = "35205"
    weekends = True
    age_band = AgeBand.ADULT
    accepted_privacy_notice = True
    consented_to_contact = True

    @factory.post_generation
    def programs(signup, create, extracted, **kwargs):
        if create:
            signup.programs.set([ProgramFactory()] if extracted is None else extracted)


class SignupStateChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignupStateChange

    signup = factory.SubFactory(VolunteerSignupFactory, state=SignupState.CONTACTED)
    from_state = SignupState.NEW
    to_state = SignupState.CONTACTED
    changed_by = factory.SubFactory(CoordinatorFactory)


class DecisionEmailFactory(factory.django.DjangoModelFactory):
    """The email for a decision; the seed content has one per state, which this then returns."""

    class Meta:
        model = DecisionEmail
        django_get_or_create = ("state",)

    state = SignupState.ACCEPTED
    subject = "Your COPE volunteer sign-up {reference}"
    body = "Dear {name}, thank you for signing up for {programs}."


def signup_form(**changes) -> dict:
    """The POST data of a valid volunteer sign-up; ``changes`` replace fields."""
    if "programs" not in changes:
        changes["programs"] = [str(Program.objects.get(slug="chaplain-program").pk)]
    return {
        "full_name": "Zoë Ngọc-Ånh O'Brien",
        "email": "zoe@example.org",
        "phone": "(205) 555-0142",
        "zip_code": "35203",
        "availability": ["weekends"],
        "age_band": AgeBand.ADULT,
        "message": "I speak Vietnamese.",
        "accept_privacy_notice": "on",
        "consent_to_contact": "on",
        "website": "",
    } | changes


# Precincts


class PrecinctFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Precinct

    slug = factory.Sequence(lambda n: f"precinct-{n}")
    name = factory.Sequence(lambda n: f"Precinct {n}")
    order = factory.Sequence(lambda n: 10 + n)
    street_address = factory.Sequence(lambda n: f"{n + 1} Main Street")
    postal_code = "35203"
    phone = factory.Sequence(lambda n: f"+1205555{n % 10_000:04d}")


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea

    kind = ServiceArea.Kind.ZIP
    value = factory.Sequence(lambda n: f"{35300 + n % 600}")
    precinct = factory.SubFactory(PrecinctFactory)


# Recommendations


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    slug = factory.Sequence(lambda n: f"focus-{n}")
    name = factory.Sequence(lambda n: f"Focus area {n}")


class RecommendationFactory(factory.django.DjangoModelFactory):
    """A recommendation numbered after the plan's 82, so it sits beside the seed content."""

    class Meta:
        model = Recommendation

    number = factory.Sequence(lambda n: 100 + n)
    title = factory.Sequence(lambda n: f"Recommendation {100 + n}")
    text = factory.LazyAttribute(lambda rec: f"{rec.title}: what the plan asks for.")


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    """An update posted through the service: a public one becomes the current status."""

    class Meta:
        model = StatusUpdate

    recommendation = factory.SubFactory(RecommendationFactory)
    status = Status.IN_PROGRESS
    note = factory.Sequence(lambda n: f"Update {n}.")
    author = factory.SubFactory(EditorFactory)
    public = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from recommendations.services import record_status_update

        return record_status_update(**kwargs)


# Events and news


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Community walk {n}")
    slug = factory.Sequence(lambda n: f"community-walk-{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=2))
    place = "Linn Park"
    address = "710 20th Street North, Birmingham, AL"
    is_published = True


class NewsPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsPost

    title = factory.Sequence(lambda n: f"News {n}")
    slug = factory.Sequence(lambda n: f"news-{n}")
    date = factory.LazyFunction(timezone.localdate)
    summary = "A short summary."
    body = "A body."
    is_published = True


# The portal


class SiteSettingsFactory(factory.django.DjangoModelFactory):
    """COPE's contact details: the one row, created or updated (and saved, as staff do)."""

    class Meta:
        model = SiteSettings

    email = "cope@example.gov"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        row = model_class.objects.filter(pk=1).first() or model_class()
        for name, value in kwargs.items():
            setattr(row, name, value)
        row.save()
        return row


# Ask COPE: speaker, walk and meeting requests


class RequestFactory(factory.django.DjangoModelFactory):
    """A walk request in a new precinct: ``RequestFactory(precinct=..., state=...)``."""

    class Meta:
        model = AskRequest

    reference = factory.Sequence(lambda n: f"R-T{n:05d}")
    kind = RequestKind.WALK
    precinct = factory.SubFactory(PrecinctFactory)
    contact_name = "Rosa Parks Jr"
    email = "rosa@example.org"
    place = "Ensley"
    first_choice = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
    topics = "Traffic on our street."
    accepted_privacy_notice = True


def speaker_form(**changes) -> dict:
    """The POST data of a valid speaker request, dated from today (freeze the clock)."""
    today = timezone.localdate()
    return {
        "organization": "Sixteenth Street Baptist Church",
        "group_kind": "A congregation",
        "audience_size": "40",
        "contact_name": "Zoë Ngọc-Ånh O'Brien",
        "email": "zoe@example.org",
        "phone": "(205) 555-0142",
        "first_choice": (today + timedelta(days=30)).isoformat(),
        "second_choice": (today + timedelta(days=37)).isoformat(),
        "third_choice": "",
        "time_of_day": "7 pm",
        "place": "1530 6th Avenue North",
        "topics": "Crime prevention for our seniors.",
        "needs": "Part of the talk in Spanish.",
        "website": "",
        "accept_privacy_notice": "on",
    } | changes


def walk_form(**changes) -> dict:
    """The POST data of a valid community walk request, dated from today (freeze the clock)."""
    today = timezone.localdate()
    return {
        "kind": "walk",
        "place": "Pratt City",
        "contact_name": "María José Núñez",
        "email": "maria@example.org",
        "phone": "",
        "first_choice": (today + timedelta(days=10)).isoformat(),
        "second_choice": "",
        "third_choice": "",
        "time_of_day": "Saturday morning",
        "topics": "Speeding on Avenue U, and meeting our officers.",
        "needs": "",
        "website": "",
        "accept_privacy_notice": "on",
    } | changes
