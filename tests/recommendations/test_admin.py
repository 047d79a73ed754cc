"""Staff post status updates in the admin through the one service; history stays append-only."""

import pytest

from recommendations.models import Recommendation, Status, StatusUpdate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cope_content")]


def inline_post(rec, **update):
    existing = rec.updates.count()
    data = {
        "title": rec.title,
        "text": rec.text,
        "focus_area": "",
        "details_published": "on" if rec.details_published else "",
        "updates-TOTAL_FORMS": str(existing + 1),
        "updates-INITIAL_FORMS": str(existing),
        "updates-MIN_NUM_FORMS": "0",
        "updates-MAX_NUM_FORMS": "1000",
    }
    for index, old in enumerate(rec.updates.order_by("-recorded_at", "-pk")):
        data[f"updates-{index}-id"] = str(old.pk)
        data[f"updates-{index}-recommendation"] = str(rec.pk)
    prefix = f"updates-{existing}-"
    data |= {prefix + "recommendation": str(rec.pk)}
    data |= {prefix + key: value for key, value in update.items()}
    return data


def post_update(client, rec, **update):
    """The editor saves the recommendation's admin page with one new update in its inline."""
    return client.post(
        f"/staff/recommendations/recommendation/{rec.pk}/change/", inline_post(rec, **update)
    )


def test_editor_posts_an_update_from_the_recommendations_page(client, editor):
    rec = Recommendation.objects.get(number=13)
    client.force_login(editor)

    response = post_update(
        client, rec, status=Status.IN_PLANNING, note="Design sessions scheduled.", public="on"
    )

    assert response.status_code == 302, response.content[:2000]
    rec.refresh_from_db()
    assert (rec.status, rec.progress_note) == (Status.IN_PLANNING, "Design sessions scheduled.")
    update = rec.updates.get(note="Design sessions scheduled.")
    assert update.author == editor and update.date is not None


def test_an_update_without_a_note_is_refused_with_a_message_and_nothing_saved(client, editor):
    rec = Recommendation.objects.get(number=13)
    client.force_login(editor)

    response = post_update(client, rec, status=Status.IN_PLANNING, note="", public="on")

    assert response.status_code == 200
    assert "This field is required" in response.text
    assert rec.updates.count() == 1


def test_current_status_is_read_only_in_the_admin(client, editor):
    rec = Recommendation.objects.get(number=13)
    client.force_login(editor)
    data = inline_post(rec) | {"status": Status.COMPLETED, "progress_note": "sneaky"}
    data["updates-TOTAL_FORMS"] = str(rec.updates.count())

    client.post(f"/staff/recommendations/recommendation/{rec.pk}/change/", data)

    rec.refresh_from_db()
    assert rec.status == Status.NO_UPDATE and rec.progress_note == ""


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_nobody_edits_or_deletes_posted_history(client, editor, admin_user, role):
    update = StatusUpdate.objects.first()
    client.force_login(editor if role == "editor" else admin_user)

    change = client.post(
        f"/staff/recommendations/statusupdate/{update.pk}/change/",
        {"status": Status.COMPLETED, "note": "rewritten"},
    )
    delete = client.post(
        f"/staff/recommendations/statusupdate/{update.pk}/delete/", {"post": "yes"}
    )

    assert change.status_code in {403, 200} and delete.status_code == 403
    update.refresh_from_db()
    assert update.note != "rewritten"


def test_bulk_action_posts_the_same_update_to_each_selected(client, editor):
    recs = list(Recommendation.objects.filter(number__in=[13, 14, 15]))
    client.force_login(editor)
    selected = [str(r.pk) for r in recs]

    form = client.post(
        "/staff/recommendations/recommendation/",
        {"action": "post_update", "_selected_action": selected},
    )
    done = client.post(
        "/staff/recommendations/recommendation/",
        {
            "action": "post_update",
            "_selected_action": selected,
            "apply": "1",
            "status": Status.IN_PLANNING,
            "note": "Council review.",
            "public": "on",
        },
    )

    assert form.status_code == 200 and "Post the update" in form.text
    assert done.status_code == 302
    assert StatusUpdate.objects.filter(note="Council review.", author=editor).count() == 3


def test_admin_list_filters_and_search(client, editor):
    client.force_login(editor)

    by_number = client.get("/staff/recommendations/recommendation/?q=38")
    by_status = client.get("/staff/recommendations/recommendation/?status__exact=pre-launch")

    assert by_number.status_code == 200 and "Implement state laws" in by_number.text
    assert by_status.status_code == 200 and "4 recommendations" in by_status.text
    assert '<a href="/safety-plan/38/">View</a>' in by_number.text


# Posting an update cannot slip (issue 25, finding 4) ----------------------------------------


def test_the_empty_row_preselects_no_status_and_a_note_only_save_changes_nothing(client, editor):
    rec = Recommendation.objects.get(number=38)
    before = rec.status
    client.force_login(editor)

    page = client.get(f"/staff/recommendations/recommendation/{rec.pk}/change/")
    empty_row = page.content.decode().split(f'name="updates-{rec.updates.count()}-status"')[1]
    options = empty_row.split("</select>")[0]
    assert '<option value="" selected>' in options and options.count("selected") == 1

    response = post_update(client, rec, note="Just a note.", public="on")

    assert response.status_code == 200  # the page again, with the message beside the row
    assert "Choose a status" in response.content.decode()
    rec.refresh_from_db()
    assert rec.status == before and not rec.updates.filter(note="Just a note.").exists()


def test_a_backward_move_in_the_row_is_sent_to_the_confirming_page(client, editor):
    rec = Recommendation.objects.get(number=38)
    client.force_login(editor)

    response = post_update(client, rec, status=Status.NO_UPDATE, note="Oops.", public="on")

    assert "which asks you to confirm it" in response.content.decode()
    assert not rec.updates.filter(note="Oops.").exists()


def test_post_an_update_starts_at_the_current_status_and_requires_a_note(client, editor):
    rec = Recommendation.objects.get(number=38)
    client.force_login(editor)
    url = f"/staff/recommendations/recommendation/{rec.pk}/post/"

    form = client.get(url).content.decode()
    assert f'<option value="{rec.status}" selected>' in form

    response = client.post(url, {"status": rec.status, "note": "", "public": "on"})
    assert response.status_code == 422
    assert "Write a note" in response.content.decode()

    response = client.post(url, {"status": rec.status, "note": "Note only.", "public": "on"})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == Status.IN_PROGRESS and rec.progress_note == "Note only."


def test_a_move_back_asks_to_confirm_naming_both_statuses_and_the_followers(client, editor):
    from follow.models import Follower, Subscription, Topic

    rec = Recommendation.objects.get(number=38)
    for n, topic in enumerate([Topic.PLAN, Topic.RECOMMENDATION, Topic.RECOMMENDATION]):
        follower = Follower.objects.create(email=f"f{n}@example.org")
        other = rec if n < 2 else Recommendation.objects.get(number=39)
        Subscription.objects.create(
            follower=follower, topic=topic, recommendation=None if n == 0 else other
        )
    client.force_login(editor)
    url = f"/staff/recommendations/recommendation/{rec.pk}/post/"
    data = {"status": Status.NO_UPDATE, "note": "Stalled.", "public": "on"}

    confirm = client.post(url, data)

    text = " ".join(confirm.content.decode().split())
    assert confirm.status_code == 200
    assert "from In progress to No update available" in text
    assert "2 followers will be told by email" in text
    assert not rec.updates.filter(note="Stalled.").exists()

    assert client.post(url, data | {"confirmed": "yes"}).status_code == 302
    rec.refresh_from_db()
    assert rec.status == Status.NO_UPDATE


def test_a_future_date_is_refused_beside_the_field(client, editor):
    rec = Recommendation.objects.get(number=38)
    client.force_login(editor)
    url = f"/staff/recommendations/recommendation/{rec.pk}/post/"

    response = client.post(url, {"status": rec.status, "note": "x", "date": "2999-01-01"})

    assert response.status_code == 422
    assert "cannot be after today" in response.content.decode()


def test_bulk_action_asks_before_moving_any_selected_back_and_names_each(client, editor):
    """The same slip as in the change page's row: a bulk "No update available" would knock back
    every selected recommendation; it is posted only once staff confirm, each move named."""
    recs = list(Recommendation.objects.filter(number__in=[13, 14]).order_by("number"))
    for rec, status in zip(recs, [Status.IN_PROGRESS, Status.NO_UPDATE], strict=True):
        StatusUpdate.objects.create(recommendation=rec, status=status, note="Before.")
        Recommendation.objects.filter(pk=rec.pk).update(status=status)
    client.force_login(editor)
    data = {
        "action": "post_update",
        "_selected_action": [str(r.pk) for r in recs],
        "apply": "1",
        "status": Status.NO_UPDATE,
        "note": "Oops.",
        "public": "on",
    }

    asked = client.post("/staff/recommendations/recommendation/", data)

    assert asked.status_code == 200
    assert not StatusUpdate.objects.filter(note="Oops.").exists()
    text = " ".join(asked.text.split())
    assert "This moves 1 of them back, to No update available" in text
    assert "from In progress to No update available; nobody follows it by email yet" in text

    done = client.post("/staff/recommendations/recommendation/", data | {"confirmed": "yes"})

    assert done.status_code == 302
    assert StatusUpdate.objects.filter(note="Oops.").count() == 2
