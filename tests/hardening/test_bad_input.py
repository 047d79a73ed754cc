"""Family 2, bad input everywhere: hostile values at every GET parameter and every form.

The public URLs and their parameters are found by crawling, so pages added later are covered
without a change here. Nothing may answer 5xx or show a trace; a form keeps what was typed.
"""

from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup
from crawl import crawl, language_of
from django.core.cache import cache
from django.test import Client
from django.urls import resolve
from django.utils import translation
from factories import signup_form
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.models import VolunteerSignup

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    " ",
    "\x00",
    "abc\x00def",
    "\x1b[31m\x07\x08",
    "a" * 10_000,
    "'; DROP TABLE programs_program; --",
    "' OR '1'='1",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "../../../../etc/passwd",
    "%00%ff%fe",
    "\u202eevil\u202c",
    "Ωμέγα Привет مرحبا 你好 🚓",
    "٣٥٢٠٧",
    "35207\n35208",
    "-1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "[]",
    "{}",
]
HOSTILE_TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=50),
)
EXTRA_PARAMS = ["q", "page", "status", "focus", "program", "precinct", "sort", "format", "ref"]


@pytest.fixture
def public_urls(client, cope_content):
    """One crawled page per URL pattern, with the parameter names its links and forms use."""
    site = crawl(client)
    targets, routes = {}, {}
    for url, response in site.pages.items():
        path, query = urlsplit(url).path, urlsplit(url).query
        with translation.override(language_of(path)):
            route = (language_of(path), resolve(path).route)
        path = routes.setdefault(route, path)  # one page stands for its pattern
        names = targets.setdefault(path, set(EXTRA_PARAMS))
        names.update(name for name, _ in parse_qsl(query, keep_blank_values=True))
        soup = BeautifulSoup(response.content, "html.parser")
        for form in soup.find_all("form"):
            if form.get("method", "get").lower() == "get":
                names.update(c["name"] for c in form.find_all(attrs={"name": True}))
    return {path: sorted(names) for path, names in targets.items()}


def assert_no_server_error(response, where):
    assert response.status_code < 500, f"{where} answered {response.status_code}"
    body = response.content.decode("utf-8", "replace")
    assert "Traceback" not in body and "SECRET_KEY" not in body.replace("settings.SECRET", "")


def test_hostile_values_in_every_get_parameter_of_every_public_url(public_urls):
    client = Client()
    tried = 0
    for path, names in public_urls.items():
        for name in names:
            for value in HOSTILE:
                response = client.get(path, {name: value})
                assert_no_server_error(response, f"{path}?{name}={value[:30]!r}")
                tried += 1
        response = client.get(path, {name: HOSTILE for name in names})
        assert_no_server_error(response, f"{path} with every parameter at once")
    assert tried > 100


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=HOSTILE_TEXT, name=st.sampled_from(EXTRA_PARAMS))
def test_random_values_in_get_parameters_never_break_a_page(public_urls, value, name):
    client = Client()
    for path in public_urls:
        assert_no_server_error(client.get(path, {name: value}), f"{path}?{name}={value[:30]!r}")


SIGNUP_FIELDS = [
    "full_name",
    "email",
    "phone",
    "zip_code",
    "programs",
    "availability",
    "age_band",
    "guardian_name",
    "guardian_phone",
    "message",
    "website",
]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(field=st.sampled_from(SIGNUP_FIELDS), value=HOSTILE_TEXT)
def test_hostile_values_in_the_signup_form_never_break_it_and_are_kept(cope_content, field, value):
    cache.clear()  # each example is a new visitor, within the rate limit
    client = Client()
    before = VolunteerSignup.objects.count()

    response = client.post("/volunteer/", signup_form(**{field: value}))

    assert_no_server_error(response, f"sign-up with {field}={value[:30]!r}")
    assert response.status_code in {302, 422}
    if response.status_code == 422:
        assert VolunteerSignup.objects.count() == before
        soup = BeautifulSoup(response.content, "html.parser")
        shown = soup.find("input", attrs={"name": "full_name"})["value"]
        if field != "full_name":
            assert shown == signup_form()["full_name"]
        elif "\x00" not in value and value.isprintable():
            assert shown == value  # what was typed comes back as typed


def test_junk_methods_and_bodies_are_refused_cleanly(client, cope_content):
    assert client.put("/volunteer/", "x").status_code == 405
    assert client.delete("/programs/").status_code == 405
    response = client.post(
        "/volunteer/", b"\xff\xfe\x00", content_type="application/x-www-form-urlencoded"
    )
    assert_no_server_error(response, "a binary body")
