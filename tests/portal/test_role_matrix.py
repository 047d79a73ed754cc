"""Least privilege: every admin URL, for each role, is allowed or refused as the job needs."""

import pytest
from django.contrib import admin
from factories import RequestFactory, SuperuserFactory, VolunteerSignupFactory

from follow.models import Follower, Subscription
from portal.roles import COORDINATOR, EDITOR

pytestmark = pytest.mark.django_db

# Which role may open each admin page: (model label, page) -> roles allowed (superusers always).
VIEW = {
    "portal.sitesettings": {EDITOR},
    "core.glossaryterm": {EDITOR},
    "programs.programkind": {EDITOR},
    "programs.program": {EDITOR},
    "programs.volunteersignup": {COORDINATOR},
    "programs.decisionemail": {COORDINATOR},
    "ask.request": {COORDINATOR},
    "ask.registration": {COORDINATOR},
    "ask.requestdecisionemail": {COORDINATOR},
    "precincts.precinct": {EDITOR},
    "precincts.servicearea": {EDITOR},
    "precincts.precinctboundary": {EDITOR},
    "recommendations.focusarea": {EDITOR},
    "recommendations.recommendation": {EDITOR},
    "recommendations.statusupdate": {EDITOR},
    "events.event": {EDITOR},
    "events.newspost": {EDITOR},
    "follow.follower": set(),
    "django_tasks_database.dbtaskresult": set(),  # the email queue: IT only
    "follow.followercount": {EDITOR},
    "admin.logentry": set(),
    "auth.user": set(),
    "auth.group": set(),
    "otp_totp.totpdevice": set(),
    "axes.accessattempt": set(),
    "axes.accessfailurelog": set(),
    "axes.accesslog": set(),
}
ADD = {
    "ask.requestdecisionemail": {COORDINATOR},
    "core.glossaryterm": {EDITOR},
    "programs.programkind": {EDITOR},
    "programs.program": {EDITOR},
    "precincts.servicearea": {EDITOR},
    "precincts.precinct": {EDITOR},
    "precincts.precinctboundary": {EDITOR},
    "recommendations.focusarea": {EDITOR},
    "events.event": {EDITOR},
    "events.newspost": {EDITOR},
}
DELETE = {
    "core.glossaryterm": {EDITOR},
    "programs.programkind": {EDITOR},
    "programs.program": {EDITOR},
    "precincts.servicearea": {EDITOR},
    "precincts.precinctboundary": {EDITOR},
    "recommendations.focusarea": {EDITOR},
    "events.event": {EDITOR},
    "events.newspost": {EDITOR},
    "programs.volunteersignup": {COORDINATOR},
    "ask.request": {COORDINATOR},
    "ask.registration": {COORDINATOR},
    "ask.requestdecisionemail": {COORDINATOR},
}


@pytest.fixture
def people(cope_content, editor, coordinator):
    made = {EDITOR: editor, COORDINATOR: coordinator, "superuser": SuperuserFactory()}
    signup = VolunteerSignupFactory(
        full_name="Private Person", email="private@example.org", programs=[]
    )
    follower = Follower.objects.create(email="follower@example.org")
    Subscription.objects.create(follower=follower, topic="plan")
    RequestFactory(contact_name="Private Person", email="private@example.org")
    return made, signup


def admin_pages():
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        base = f"/staff/{model._meta.app_label}/{model._meta.model_name}/"
        obj = model._default_manager.order_by("pk").first()
        names = {pattern.name for pattern in model_admin.get_urls()}
        yield label, "changelist", base, VIEW
        if model_admin.has_add_permission.__func__ is admin.ModelAdmin.has_add_permission:
            yield label, "add", base + "add/", ADD
        if obj is not None and f"{model._meta.app_label}_{model._meta.model_name}_change" in names:
            yield label, "change", f"{base}{obj.pk}/change/", VIEW
            yield label, "history", f"{base}{obj.pk}/history/", VIEW
            yield label, "delete", f"{base}{obj.pk}/delete/", DELETE


def test_every_admin_page_for_every_role(client, people):
    users, _ = people
    wrong = []
    checked = 0
    for label, page, url, table in admin_pages():
        assert label in VIEW, f"{label} is not in the role matrix: decide who may see it"
        for role, user in users.items():
            client.force_login(user)
            status = client.get(url).status_code
            allowed = role == "superuser" or role in table.get(label, set())
            if page in {"add", "delete"} and role == "superuser":
                allowed = status == 200  # a model may refuse add/delete to everyone
            if allowed != (status == 200) or status not in {200, 403, 302}:
                wrong.append((role, url, status))
            checked += 1
    assert wrong == []
    assert checked > 100


def test_an_editor_never_sees_a_volunteers_personal_data(client, people):
    users, signup = people
    client.force_login(users[EDITOR])

    pages = [
        "/staff/",
        "/staff/programs/",
        "/staff/programs/volunteersignup/",
        f"/staff/programs/volunteersignup/{signup.pk}/change/",
        "/staff/programs/volunteersignup/?email__startswith=private",
        "/staff/programs/volunteersignup/?q=Private",
        "/staff/admin/logentry/",
        "/staff/programs/program/?signups__email__startswith=private",
    ]
    for url in pages:
        response = client.get(url)
        assert b"Private Person" not in response.content, url
        assert b"private@example.org" not in response.content, url


def test_filters_cannot_reach_fields_the_role_may_not_see(client, people):
    users, _ = people
    client.force_login(users[EDITOR])

    response = client.get("/staff/programs/program/?signups__email__startswith=private")

    assert response.status_code == 400  # a lookup through sign-ups is refused outright


def test_only_superusers_see_who_follows_and_editors_see_counts(client, people):
    users, _ = people

    client.force_login(users[EDITOR])
    counts = client.get("/staff/follow/followercount/")
    assert counts.status_code == 200 and b"follower@example.org" not in counts.content
    assert client.get("/staff/follow/follower/").status_code == 403

    client.force_login(users[COORDINATOR])
    assert client.get("/staff/follow/followercount/").status_code == 403
    assert client.get("/staff/follow/follower/").status_code == 403

    client.force_login(users["superuser"])
    assert b"follower@example.org" in client.get("/staff/follow/follower/").content
