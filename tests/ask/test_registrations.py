"""Classes with seats: a seat while there is one, then the waiting list, which moves up when
someone cancels; the emails as sent; a reminder the day before; never more seats than staff set."""

import datetime
import re
import threading
from io import StringIO

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from factories import EventFactory

from ask.models import Registration, RegistrationState
from tests.taskqueue import run_worker

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 3, 10, 18, 0, tzinfo=datetime.UTC)  # noon in Birmingham
CLASS_STARTS = datetime.datetime(2027, 3, 20, 23, 0, tzinfo=datetime.UTC)  # 6 pm there


@pytest.fixture(autouse=True)
def frozen_day():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def academy_class(db):
    return EventFactory(
        title="Community Police Academy, class 1",
        slug="academy-class-1",
        starts_at=CLASS_STARTS,
        ends_at=CLASS_STARTS + datetime.timedelta(hours=2),
        capacity=2,
    )


def form(**changes):
    return {
        "full_name": "Ada Lovelace",
        "email": "ada@example.org",
        "phone": "",
        "website": "",
        "accept_privacy_notice": "on",
    } | changes


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").main.get_text(" ").split())


def register(client, event, capture, **changes):
    with capture(execute=True):
        return client.post(f"/events/{event.slug}/register/", form(**changes))


def test_a_class_without_seats_takes_no_registration(client):
    walk = EventFactory()
    assert client.get(f"/events/{walk.slug}/register/").status_code == 404
    assert "Seats" not in text_of(client.get(walk.get_absolute_url()))


def test_the_last_seat_then_the_waiting_list_then_a_cancel_moves_it_up(
    client, academy_class, smtp, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    page = text_of(client.get(academy_class.get_absolute_url()))
    assert "2 of 2 seats left." in page and "Register for a seat" in page

    register(client, academy_class, capture, full_name="Ann First", email="ann@example.org")
    assert "1 of 2 seats left." in text_of(client.get(academy_class.get_absolute_url()))
    last = register(client, academy_class, capture)  # the last seat
    assert "Your seat is booked" in text_of(client.get(last["Location"]))
    page = text_of(client.get(academy_class.get_absolute_url()))
    assert "Full: all 2 seats are taken." in page and "Join the waiting list" in page
    waiting = register(
        client, academy_class, capture, full_name="Ben Waiting", email="ben@example.org"
    )
    assert "you are on its waiting list" in text_of(client.get(waiting["Location"]))
    run_worker()

    states = dict(Registration.objects.values_list("email", "state"))
    assert states == {
        "ann@example.org": RegistrationState.SEATED,
        "ada@example.org": RegistrationState.SEATED,
        "ben@example.org": RegistrationState.WAITING,
    }
    [ada_mail] = smtp.to("ada@example.org")
    assert ada_mail["Subject"] == "Your seat is booked: Community Police Academy, class 1"
    assert smtp.to("ben@example.org")[0]["Subject"].startswith("You are on the waiting list")
    cancel_link = re.search(
        r"http://testserver(/registrations/\S+/cancel/)", ada_mail.get_content()
    )
    assert cancel_link, ada_mail.get_content()

    asked = client.get(cancel_link.group(1))  # a link opened (or prefetched) cancels nothing
    assert "Cancel my registration" in asked.text
    assert asked["X-Robots-Tag"] == "noindex, nofollow"
    assert Registration.objects.get(email="ada@example.org").state == RegistrationState.SEATED
    with capture(execute=True):
        done = client.post(cancel_link.group(1))
    assert "is cancelled" in done.text
    client.post(cancel_link.group(1))  # twice: nothing more happens
    run_worker()

    assert Registration.objects.get(email="ada@example.org").state == RegistrationState.CANCELLED
    assert Registration.objects.get(email="ben@example.org").state == RegistrationState.SEATED
    promoted = smtp.to("ben@example.org")
    assert [m["Subject"] for m in promoted][-1] == (
        "A seat is yours: Community Police Academy, class 1"
    )
    assert len(smtp.raw) == 4  # three confirmations and one promotion, nothing twice


def test_bad_input_is_told_beside_the_field_kept_and_nothing_saved(client, academy_class):
    response = client.post(
        f"/events/{academy_class.slug}/register/", form(email="", full_name="  Ada  ")
    )

    assert response.status_code == 422
    soup = BeautifulSoup(response.content, "html.parser")
    assert "your confirmation and cancel link go there" in soup.find(id="id_email-error").text
    assert soup.find("input", attrs={"name": "full_name"})["value"] == "  Ada  "
    assert not Registration.objects.exists()


def test_a_class_over_or_cancelled_takes_no_more_registrations(client, academy_class):
    academy_class.is_cancelled = True
    academy_class.save()

    response = client.post(f"/events/{academy_class.slug}/register/", form())

    assert "no longer takes registrations" in response.text
    assert not Registration.objects.exists()


def test_a_recurring_class_has_its_seats_per_date(academy_class):
    academy_class.repeats = "weekly"
    academy_class.repeat_until = datetime.date(2027, 5, 1)
    with pytest.raises(ValidationError, match="schedule each date"):
        academy_class.full_clean()


def test_the_reminder_goes_the_day_before_to_those_with_a_seat_once(
    client, academy_class, smtp, django_capture_on_commit_callbacks, frozen_day
):
    for email in ["ann@example.org", "ada@example.org", "ben@example.org"]:
        register(client, academy_class, django_capture_on_commit_callbacks, email=email)
    run_worker()
    sent_before = len(smtp.raw)

    frozen_day.move_to(CLASS_STARTS - datetime.timedelta(days=1))
    out = StringIO()
    call_command("send_class_reminders", stdout=out)
    call_command("send_class_reminders", stdout=StringIO())

    assert "2 reminders sent for classes on 2027-03-20" in out.getvalue()
    reminders = [m for m in smtp.messages[sent_before:]]
    assert sorted(m["To"] for m in reminders) == ["ada@example.org", "ann@example.org"]
    assert reminders[0]["Subject"] == "Reminder: Community Police Academy, class 1 is tomorrow"


def test_the_purge_deletes_registrations_once_the_class_is_long_over(
    client, academy_class, settings, django_capture_on_commit_callbacks, frozen_day
):
    register(client, academy_class, django_capture_on_commit_callbacks)
    frozen_day.move_to(CLASS_STARTS + datetime.timedelta(days=settings.SIGNUP_RETENTION_DAYS))
    call_command("purge_requests", stdout=StringIO())
    assert Registration.objects.exists()

    frozen_day.move_to(timezone.now() + datetime.timedelta(days=1))
    call_command("purge_requests", stdout=StringIO())
    assert not Registration.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite's shared in-memory test database locks whole tables",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_for_the_last_seats_give_exactly_the_capacity(settings):
    from django.test import Client

    settings.REQUESTS_PER_HOUR = 100
    event = EventFactory(
        slug="academy-rush", starts_at=CLASS_STARTS, ends_at=CLASS_STARTS, capacity=3
    )
    start = threading.Barrier(10)
    statuses = []

    def take_a_seat(n):
        try:
            start.wait()
            response = Client().post(
                f"/events/{event.slug}/register/", form(email=f"p{n}@example.org")
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=take_a_seat, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert statuses == [302] * 10
    assert Registration.objects.filter(state=RegistrationState.SEATED).count() == 3
    assert Registration.objects.filter(state=RegistrationState.WAITING).count() == 7


def test_the_academy_page_says_when_no_class_is_scheduled_then_lists_the_class(
    client, cope_content
):
    from programs.models import Program

    page = text_of(client.get("/programs/community-police-academy/"))
    assert "No classes are scheduled yet." in page
    assert "Todavía no hay clases programadas." in text_of(
        client.get("/es/programs/community-police-academy/")
    )

    academy = Program.objects.get(slug="community-police-academy")
    EventFactory(title="Academy, spring class", capacity=25).programs.add(academy)
    EventFactory(title="Academy open house").programs.add(academy)  # no seats: not a class

    soup = BeautifulSoup(client.get("/programs/community-police-academy/").content, "html.parser")
    classes = soup.find(id="classes").find_parent("section")
    assert [h3.get_text(strip=True) for h3 in classes.select("h3")] == ["Academy, spring class"]
    assert soup.get_text().count("Academy, spring class") == 1  # not again among its events
    assert "Academy open house" in soup.get_text()


def test_the_cached_class_page_shows_the_seat_just_taken_and_the_one_freed(
    client, academy_class, settings, django_capture_on_commit_callbacks
):
    from ask.services import cancel_registration
    from portal.pagecache import generation

    settings.PAGE_CACHE_SECONDS = 600
    generation()
    url = academy_class.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"

    register(client, academy_class, django_capture_on_commit_callbacks)
    assert "1 of 2 seats left." in text_of(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(registration=Registration.objects.get())
    assert "2 of 2 seats left." in text_of(client.get(url))
