"""Times the way US Spanish writes them: "de 4:00 p. m. a 6:00 p. m.", and over several days
"del sábado 9 de enero de 2027 a las 9:00 a. m. al domingo 10 de enero a la 1:00 p. m.", on
the event's page, in its meta description, on the home page and in the follow emails. The clock
is frozen: an event's words must not depend on the day the test runs."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.utils import translation

from events.models import Event, when
from follow.models import Follower, FollowRequest, Topic
from follow.services import confirm_follow

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
TODAY = datetime(2027, 1, 1, 3, 30, tzinfo=UTC)  # New Year's Eve in Birmingham, the 1st in UTC


def at(*parts):
    return datetime(*parts, tzinfo=CHICAGO)


@pytest.mark.parametrize(
    ("starts", "ends", "spanish", "english"),
    [
        pytest.param(
            at(2027, 1, 6, 9, 30),
            at(2027, 1, 6, 11, 0),
            "miércoles 6 de enero de 2027, de 9:30 a. m. a 11:00 a. m.",
            "Wednesday, January 6, 2027, 9:30 AM to 11:00 AM",
            id="a morning",
        ),
        pytest.param(
            at(2025, 3, 19, 16, 0),
            at(2025, 3, 19, 18, 0),
            "miércoles 19 de marzo de 2025, de 4:00 p. m. a 6:00 p. m.",
            "Wednesday, March 19, 2025, 4:00 PM to 6:00 PM",
            id="an afternoon",
        ),
        pytest.param(
            at(2028, 2, 29, 12, 0),
            at(2028, 2, 29, 13, 0),
            "martes 29 de febrero de 2028, de 12:00 p. m. a 1:00 p. m.",
            "Tuesday, February 29, 2028, 12:00 PM to 1:00 PM",
            id="noon",
        ),
        pytest.param(
            at(2027, 1, 9, 9, 0),
            at(2027, 1, 10, 13, 0),
            "del sábado 9 de enero de 2027 a las 9:00 a. m. al domingo 10 de enero a la 1:00 p. m.",
            "Saturday, January 9, 2027, 9:00 AM to Sunday, January 10, 2027, 1:00 PM",
            id="two days",
        ),
        pytest.param(
            at(2027, 12, 31, 20, 0),
            at(2028, 1, 1, 1, 0),
            "del viernes 31 de diciembre de 2027 a las 8:00 p. m. "
            "al sábado 1 de enero de 2028 a la 1:00 a. m.",
            "Friday, December 31, 2027, 8:00 PM to Saturday, January 1, 2028, 1:00 AM",
            id="over new year",
        ),
    ],
)
def test_an_events_time_is_written_as_each_language_writes_it(starts, ends, spanish, english):
    with translation.override("es"):
        assert when(starts, ends) == spanish
    with translation.override("en"):
        assert when(starts, ends) == english


@time_machine.travel(TODAY, tick=False)
def test_the_spanish_event_page_home_and_meta_description_use_spanish_times(client, make_event):
    make_event(
        title="Weekend academy",
        title_es="Academia de fin de semana",
        slug="weekend-academy",
        starts_at=at(2027, 1, 9, 9, 0),
        ends_at=at(2027, 1, 10, 13, 0),
        place="Linn Park",
        address="",
    )
    multi_day = (
        "del sábado 9 de enero de 2027 a las 9:00 a. m. al domingo 10 de enero a la 1:00 p. m."
    )

    page = BeautifulSoup(client.get("/es/events/weekend-academy/").content, "html.parser")
    home = BeautifulSoup(client.get("/es/").content, "html.parser")

    assert multi_day in page.select_one("dl.event-facts").get_text(" ")
    assert page.find("meta", attrs={"name": "description"})["content"].startswith(
        f"Academia de fin de semana: {multi_day}"
    )
    assert multi_day in home.find(id="next-events").parent.get_text(" ")
    assert " AM" not in page.main.get_text() and " PM" not in page.main.get_text()


def test_a_spanish_follower_reads_the_events_time_in_spanish(
    cope_content, django_capture_on_commit_callbacks, mailoutbox, run_tasks, settings
):
    with time_machine.travel(TODAY, tick=False):
        subscription = confirm_follow(
            request=FollowRequest.objects.create(email="es@example.org", topic=Topic.EVENTS)
        )
        Follower.objects.filter(pk=subscription.follower_id).update(language="es")
        event = Event.objects.create(
            title="Walk",
            title_es="Caminata",
            slug="walk",
            starts_at=at(2027, 1, 6, 16, 0),
            ends_at=at(2027, 1, 6, 16, 0) + timedelta(hours=2),
            is_published=False,
        )
        with django_capture_on_commit_callbacks(execute=True):
            event.is_published = True
            event.save()
    with time_machine.travel(TODAY + timedelta(seconds=settings.FOLLOW_NOTICE_DELAY + 1)):
        run_tasks()  # the queue's worker, once the undo window has passed

    (message,) = mailoutbox
    assert "Caminata, miércoles 6 de enero de 2027, de 4:00 p. m. a 6:00 p. m." in message.body
    assert "PM" not in message.body
