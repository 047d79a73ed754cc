"""record_status_update: the one way a status changes; history is append-only."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from factories import EditorFactory

from recommendations.models import STAFF_SOURCE, Recommendation, Status, StatusUpdate
from recommendations.services import post_update_to_many, record_status_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def rec(cope_content):
    return Recommendation.objects.get(number=13)


def test_a_public_update_becomes_the_current_status_with_author_and_date(rec, admin_user):
    update = record_status_update(
        recommendation=rec,
        status=Status.IN_PLANNING,
        note="Fellowship design begun.",
        author=admin_user,
    )

    rec.refresh_from_db()
    assert (rec.status, rec.progress_note) == (Status.IN_PLANNING, "Fellowship design begun.")
    assert rec.status_date == update.date and update.date is not None
    assert (update.author, update.source) == (admin_user, STAFF_SOURCE)
    assert rec.updates.count() == 2


def test_an_internal_update_is_kept_but_does_not_change_the_public_status(rec, admin_user):
    record_status_update(
        recommendation=rec,
        status=Status.COMPLETED,
        note="Draft only.",
        author=admin_user,
        public=False,
    )

    rec.refresh_from_db()
    assert rec.status == Status.NO_UPDATE
    assert rec.updates.filter(public=False).count() == 1


@pytest.mark.parametrize("status", ["", "finished", "IN PROGRESS"])
def test_an_invalid_status_is_refused_and_nothing_saved(rec, admin_user, status):
    with pytest.raises(ValidationError) as error:
        record_status_update(recommendation=rec, status=status, note="x", author=admin_user)

    assert "status" in error.value.message_dict
    rec.refresh_from_db()
    assert rec.status == Status.NO_UPDATE and rec.updates.count() == 1


def test_a_note_over_2000_characters_is_refused(rec, admin_user):
    with pytest.raises(ValidationError):
        record_status_update(
            recommendation=rec, status=Status.IN_PLANNING, note="n" * 2001, author=admin_user
        )
    assert rec.updates.count() == 1


def test_history_cannot_be_deleted_while_it_exists(rec):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        rec.delete()


def test_bulk_update_posts_one_history_row_each_all_or_nothing(cope_content, admin_user):
    recs = list(Recommendation.objects.filter(number__in=[13, 14, 15]))

    post_update_to_many(
        recommendations=recs, status=Status.IN_PLANNING, note="Under review.", author=admin_user
    )

    assert StatusUpdate.objects.filter(note="Under review.").count() == 3
    assert set(
        Recommendation.objects.filter(number__in=[13, 14, 15]).values_list("status", flat=True)
    ) == {Status.IN_PLANNING}


def test_bulk_update_with_a_bad_value_saves_nothing(cope_content, admin_user):
    recs = list(Recommendation.objects.filter(number__in=[13, 14]))

    with pytest.raises(ValidationError):
        post_update_to_many(recommendations=recs, status="bogus", note="x", author=admin_user)

    assert StatusUpdate.objects.filter(note="x").count() == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks (two connections)"
)
@pytest.mark.django_db(transaction=True)
def test_two_people_posting_at_once_both_keep_their_update(cope_content):
    from django.db import connections

    rec = Recommendation.objects.get(number=13)
    people = EditorFactory.create_batch(2)
    barrier = threading.Barrier(2)
    errors = []

    def post(person, status):
        try:
            barrier.wait()
            record_status_update(
                recommendation=rec, status=status, note=f"By {person}", author=person
            )
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=post, args=(people[0], Status.IN_PLANNING)),
        threading.Thread(target=post, args=(people[1], Status.IN_PROGRESS)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    staff_updates = rec.updates.filter(author__isnull=False).order_by("recorded_at", "pk")
    assert staff_updates.count() == 2
    rec.refresh_from_db()
    assert rec.status == staff_updates.last().status  # the latest by time is current
