"""Editors duplicate an event for a recurring walk: an unpublished copy with a new slug."""

import pytest
from bs4 import BeautifulSoup

from events.models import Event, NewsPost

pytestmark = pytest.mark.django_db


def test_duplicate_action_makes_unpublished_copies_with_new_slugs(
    admin_client, cope_content, make_event
):
    event = make_event(slug="monthly-walk", is_cancelled=True)
    event.recommendations.set(event.recommendations.model.objects.filter(number__in=[5, 6]))

    for _ in range(2):
        response = admin_client.post(
            "/staff/events/event/",
            {"action": "duplicate", "_selected_action": [event.pk]},
            follow=True,
        )

    assert response.status_code == 200
    copies = Event.objects.filter(slug__startswith="monthly-walk-copy").order_by("pk")
    assert [c.slug for c in copies] == ["monthly-walk-copy", "monthly-walk-copy-2"]
    assert all(not c.is_published and not c.is_cancelled for c in copies)
    assert [r.number for r in copies[0].recommendations.order_by("number")] == [5, 6]
    assert copies[0].uid != event.uid
    assert "unpublished copies made" in response.text


def test_editor_adds_an_event_and_it_starts_unpublished(client, editor):
    client.force_login(editor)

    response = client.post(
        "/staff/events/event/add/",
        {
            "title_en": "Walk",
            "slug": "walk",
            "starts_at_0": "2026-12-01",
            "starts_at_1": "17:00",
            "ends_at_0": "2026-12-01",
            "ends_at_1": "16:00",
        },
    )

    assert response.status_code == 200  # re-shown: it cannot end before it starts
    assert "An event cannot end before it starts." in response.text
    assert not Event.objects.exists()


def test_editor_writes_an_event_and_a_post_in_english_and_spanish(client, editor):
    client.force_login(editor)
    form = BeautifulSoup(client.get("/staff/events/event/add/").content, "html.parser")
    assert form.find("input", attrs={"name": "title_es"}) is not None
    assert form.find("textarea", attrs={"name": "description_es"}) is not None

    response = client.post(
        "/staff/events/event/add/",
        {
            "title_en": "Coffee with a cop",
            "title_es": "Café con un policía",
            "slug": "coffee",
            "starts_at_0": "2026-12-01",
            "starts_at_1": "17:00",
            "ends_at_0": "2026-12-01",
            "ends_at_1": "18:00",
            "description_en": "",
            "description_es": "",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get(slug="coffee")
    assert (event.title_en, event.title_es, event.is_published) == (
        "Coffee with a cop",
        "Café con un policía",
        False,
    )

    response = client.post(
        "/staff/events/newspost/add/",
        {
            "title_en": "Fair",
            "title_es": "Feria",
            "slug": "fair",
            "date": "2026-12-01",
            "summary_en": "At the fair.",
            "summary_es": "En la feria.",
        },
    )
    assert response.status_code == 302
    assert NewsPost.objects.get(slug="fair").summary_es == "En la feria."


def test_a_duplicate_keeps_the_spanish_texts(admin_client, make_event):
    event = make_event(slug="walk", title_es="Caminata", description_es="Traiga agua.")

    admin_client.post(
        "/staff/events/event/", {"action": "duplicate", "_selected_action": [event.pk]}
    )

    copy = Event.objects.get(slug="walk-copy")
    assert (copy.title_en, copy.title_es) == (event.title_en, "Caminata")
    assert copy.description_es == "Traiga agua."
