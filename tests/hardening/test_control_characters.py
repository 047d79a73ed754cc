"""Control characters pasted from a PDF: staff text fields refuse them with a message, and every
feed, CSV, JSON, vCard and .ics copes with any already stored (never a 500)."""

import csv
import io
import json
import re
from datetime import timedelta

import feedparser
import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from events.models import Event, NewsPost
from portal.roles import EDITOR
from precincts.models import Precinct
from programs.models import Program
from recommendations.models import Recommendation, Status
from recommendations.services import record_status_update

pytestmark = pytest.mark.django_db

PASTED = "Page one\x0cpage two\x0b, column\x01 three\x1b\x7f\x85\u2028\u2029\ufffe\uffff"
# Controls, the line and paragraph separators, and noncharacters (XML refuses U+FFFE, U+FFFF).
CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0010ffff]"
)


@pytest.fixture
def editor_client(client, cope_content):
    user = User.objects.create_user("editor", password="x" * 16, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(user)
    return client


def inline_post(rec, **update):
    """The recommendation's change form, with a new status update in the empty row."""
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
    return data | {prefix + key: value for key, value in update.items()}


def test_an_editor_cannot_save_a_note_with_a_form_feed(editor_client):
    rec = Recommendation.objects.get(number=13)
    before = rec.updates.count()

    response = editor_client.post(
        f"/staff/recommendations/recommendation/{rec.pk}/change/",
        inline_post(rec, status=Status.IN_PLANNING, note="Pasted\x0cfrom a PDF", public="on"),
    )

    assert response.status_code == 200
    assert "invisible control character (U+000C" in response.text
    assert rec.updates.count() == before


@pytest.mark.parametrize(
    "character",
    [
        *["\x0b", "\x0c", "\x01", "\x1b", "\x7f", "\x85"],
        *["\u2028", "\u2029", "\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\U0010ffff"],
    ],
)
def test_every_staff_text_field_refuses_control_characters(editor_client, character):
    program = Program.objects.get(slug="ride-along-program")
    url = f"/staff/programs/program/{program.pk}/change/"
    form = {
        "kind": program.kind_id,
        "door": program.door,
        "name_en": program.name_en,
        "summary_en": f"Ride along{character} with an officer",
        "summary_es": f"Acompañe{character} a un oficial",  # the Spanish texts refuse them too
        "order": program.order,
        "is_published": "on",
        "description_en": f"Te{character}xt",
    }

    response = editor_client.post(url, form)

    assert response.status_code == 200
    assert response.text.count("invisible control character") >= 3
    program.refresh_from_db()
    assert character not in program.summary_en and character not in (program.summary_es or "")


def test_tabs_and_line_breaks_are_ordinary_text(editor_client):
    program = Program.objects.get(slug="ride-along-program")

    response = editor_client.post(
        f"/staff/programs/program/{program.pk}/change/",
        {
            "kind": program.kind_id,
            "door": program.door,
            "name_en": program.name_en,
            "summary_en": "One\tline",
            "summary_es": "Una\tlínea",
            "order": program.order,
            "is_published": "on",
            "description_en": "First paragraph.\r\n\r\nSecond paragraph.",
        },
    )

    assert response.status_code == 302


def test_the_bulk_update_form_refuses_them_too(editor_client):
    recs = Recommendation.objects.filter(number__in=[13, 14])
    before = sum(r.updates.count() for r in recs)

    response = editor_client.post(
        "/staff/recommendations/recommendation/",
        {
            "action": "post_update",
            "_selected_action": [r.pk for r in recs],
            "apply": "1",
            "status": Status.IN_PLANNING,
            "note": "Pasted\x0bfrom a PDF",
            "public": "on",
        },
    )

    assert "invisible control character" in response.text
    assert sum(r.updates.count() for r in recs) == before


@pytest.fixture
def stored_control_characters(cope_content):
    """Control characters already in the database (stored before the fix, or by an import)."""
    rec = Recommendation.objects.get(number=13)
    record_status_update(recommendation=rec, status=Status.IN_PLANNING, note=PASTED)
    Recommendation.objects.filter(number=13).update(title="Title\x0c" + PASTED)
    starts = timezone.now() + timedelta(days=3)
    Event.objects.create(
        title="Walk\x0b" + PASTED,
        slug="walk",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        place="Linn\x0c Park",
        address="710 20th Street North",
        description=PASTED,
        is_published=True,
    )
    NewsPost.objects.create(
        title="News\x0c\uffff",
        slug="news",
        date=timezone.localdate(),
        summary=PASTED,
        body=PASTED,
        is_published=True,
    )
    Precinct.objects.filter(slug="west").update(name="West\x0c Precinct", hours=PASTED)


@pytest.mark.parametrize(
    "path",
    [
        "/safety-plan/feed/",
        "/safety-plan/13/feed/",
        "/news/feed/",
        "/safety-plan/recommendations.csv",
        "/safety-plan/status-updates.csv",
        "/events/calendar.ics",
        "/events/walk.ics",
        "/precincts/west.vcf",
    ],
)
def test_every_writer_strips_stored_control_characters(client, stored_control_characters, path):
    response = client.get(path)

    assert response.status_code == 200
    text = response.getvalue().decode()
    assert not CONTROL.search(text.replace("\r\n", "\n").replace("\t", " "))
    assert "Page onepage two" in text or "Page one" in text.replace("\r\n ", "")
    if "feed" in path:
        assert not feedparser.parse(response.getvalue()).bozo  # well-formed XML


@pytest.mark.parametrize(
    "path", ["/safety-plan/recommendations.json", "/safety-plan/status-updates.json"]
)
def test_json_downloads_stay_valid_json(client, stored_control_characters, path):
    response = client.get(path)

    assert response.status_code == 200
    json.loads(response.getvalue())


def test_csv_cells_lose_only_the_control_characters(client, stored_control_characters):
    body = client.get("/safety-plan/status-updates.csv").getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))

    assert any("Page onepage two, column three" in cell for row in rows for cell in row)


def test_pages_showing_them_still_answer(client, stored_control_characters):
    for path in ["/safety-plan/13/", "/events/walk/", "/precincts/west/", "/news/news/"]:
        assert client.get(path).status_code == 200, path
