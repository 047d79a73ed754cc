"""Factories for events and news: each test makes just the rows it talks about."""

from datetime import timedelta

import factory
import pytest
from django.utils import timezone

from events.models import Event, NewsPost


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


@pytest.fixture
def make_event(db):
    return EventFactory


@pytest.fixture
def make_post(db):
    return NewsPostFactory


@pytest.fixture
def editor(db):
    from django.contrib.auth.models import Group, User

    from portal.roles import EDITOR

    user = User.objects.create_user("editor", password="x" * 16, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    return user
