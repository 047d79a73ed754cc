"""Ten years of sign-ups: the queue, its export and the purge stay flat as the rows grow."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.roles import COORDINATOR
from programs.models import Program, SignupState, SignupStateChange, VolunteerSignup
from programs.services import purge_signups

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(cope_content):
    user = User.objects.create_user("coordinator", password="x" * 16, is_staff=True)
    user.groups.add(Group.objects.get(name=COORDINATOR))
    return user


def add_signups(count, *, state=SignupState.NEW, **fields) -> list[VolunteerSignup]:
    start = VolunteerSignup.objects.count()
    signups = VolunteerSignup.objects.bulk_create(
        VolunteerSignup(
            reference=f"V-S{start + n:05d}",
            full_name=f"Volunteer {start + n}",
            email=f"v{start + n}@example.org",
            phone="+12055550100",
            zip_code="35205",
            age_band="18-or-over",
            accepted_privacy_notice=True,
            consented_to_contact=True,
            state=state,
            **fields,
        )
        for n in range(count)
    )
    programs = list(Program.objects.filter(slug__in=["citizens-on-patrol", "chaplain-program"]))
    through = VolunteerSignup.programs.through
    through.objects.bulk_create(
        through(volunteersignup_id=signup.pk, program_id=program.pk)
        for signup in signups
        for program in programs
    )
    return signups


def export_all(client, query=""):
    """The coordinator ticks "select all" on the (filtered) list and exports: (response, rows)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            f"/staff/programs/volunteersignup/{query}",
            {"action": "export_csv", "select_across": "1", "index": "0", "_selected_action": ["0"]},
        )
        assert isinstance(response, StreamingHttpResponse)
        content = b"".join(response.streaming_content).decode("utf-8-sig")
    return len(captured), list(csv.reader(io.StringIO(content)))


def test_export_of_all_runs_the_same_queries_for_5_or_50_and_logs_once(client, coordinator):
    client.force_login(coordinator)
    add_signups(5)
    few, rows_of_few = export_all(client)
    add_signups(45)
    many, rows = export_all(client, "?state__exact=new")

    assert few == many
    assert len(rows_of_few) == 1 + 5 and len(rows) == 1 + 50
    assert rows[0][10] == "programs" and rows[1][10] == "Chaplain Program; Citizens on Patrol (COP)"
    assert rows[1][5] == "(205) 555-0100"
    entries = list(LogEntry.objects.filter(object_repr__startswith="CSV export").order_by("pk"))
    assert [e.object_repr for e in entries] == [
        "CSV export of 5 sign-ups",
        "CSV export of 50 sign-ups",
    ]
    assert entries[1].user == coordinator
    assert entries[1].change_message == (
        "Exported 50 sign-ups to CSV (all matching the filter state__exact=new)."
    )


def test_signup_list_and_its_search_run_the_same_queries_for_5_or_50(client, coordinator):
    client.force_login(coordinator)
    urls = ["/staff/programs/volunteersignup/", "/staff/programs/volunteersignup/?q=Volunteer"]

    def queries():
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    add_signups(5)
    few = queries()
    add_signups(45)

    assert queries() == few
    assert "Searches the reference, name" in client.get(urls[1]).text


@pytest.mark.parametrize(("rows", "batch"), [(6, 2), (12, 4)])
def test_purge_deletes_in_batches_of_the_same_few_queries(
    cope_content, django_assert_num_queries, rows, batch
):
    long_ago = timezone.now() - timedelta(days=400)
    due = add_signups(rows, state=SignupState.DECLINED, state_changed_at=long_ago)
    SignupStateChange.objects.bulk_create(
        SignupStateChange(signup=s, from_state="contacted", to_state="declined") for s in due
    )
    kept = add_signups(1, state=SignupState.DECLINED, state_changed_at=timezone.now())

    # three batches of (ids, their state changes, their programs, themselves) in a savepoint,
    # then the empty look that ends it: the same count for 6 rows as for 12
    with django_assert_num_queries(3 * 6 + 3):
        deleted = purge_signups(days=365, batch_size=batch)

    assert deleted == rows
    assert list(VolunteerSignup.objects.values_list("pk", flat=True)) == [kept[0].pk]
    assert not SignupStateChange.objects.exists()
    assert VolunteerSignup.programs.through.objects.count() == 2
