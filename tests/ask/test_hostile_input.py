"""Hostile values in each request form: never a server error, never a half-saved request."""

import pytest
from django.core.cache import cache
from django.test import Client
from factories import EventFactory, speaker_form, walk_form
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ask.models import Registration, Request
from tests.hardening.test_bad_input import HOSTILE_TEXT, assert_no_server_error

FORMS = {
    "/programs/speaking-engagements/request/": speaker_form,
    "/es/precincts/west/request-walk/": walk_form,
}
FIELDS = sorted(set(speaker_form()) | set(walk_form()) | {"online", "consent_to_publish"})


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(url=st.sampled_from(sorted(FORMS)), field=st.sampled_from(FIELDS), value=HOSTILE_TEXT)
def test_hostile_values_in_the_request_forms_never_break_them(cope_content, url, field, value):
    cache.clear()  # each example is a new visitor, within the rate limit
    before = Request.objects.count()

    response = Client().post(url, FORMS[url](**{field: value}))

    assert_no_server_error(response, f"{url} with {field}={value[:30]!r}")
    assert response.status_code in {302, 422}
    if response.status_code == 422:
        assert Request.objects.count() == before


@pytest.fixture
def academy(db):
    return EventFactory(slug="academy-hostile", capacity=5)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(field=st.sampled_from(["full_name", "email", "phone", "website"]), value=HOSTILE_TEXT)
def test_hostile_values_in_the_registration_form_never_break_it(academy, field, value):
    cache.clear()
    before = Registration.objects.count()
    data = {"full_name": "Ada", "email": "ada@example.org", "accept_privacy_notice": "on"}

    response = Client().post("/events/academy-hostile/register/", data | {field: value})

    assert_no_server_error(response, f"registration with {field}={value[:30]!r}")
    assert response.status_code in {302, 422}
    if response.status_code == 422:
        assert Registration.objects.count() == before
