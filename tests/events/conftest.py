"""Events and news: each test makes just the rows it talks about (tests/factories.py)."""

import pytest
from factories import EventFactory, NewsPostFactory


@pytest.fixture
def make_event(db):
    return EventFactory


@pytest.fixture
def make_post(db):
    return NewsPostFactory
