"""Load the events and news derived from the source documents (seeds 001, 002 and 004).

Rows are created when missing and never updated: what staff edited stays as they left it.
News from other sources is summarized in COPE's words and credited by name; the seeds give
no links, so the source link is left for staff to fill in.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from events.models import Event, NewsPost
from recommendations.models import Recommendation

CHICAGO = ZoneInfo("America/Chicago")

EVENTS = [
    {
        "slug": "safety-plan-feedback-session-2025-03-19",
        "title": "Community feedback session: Gun Violence Reduction Strategy",
        "starts_at": datetime(2025, 3, 19, 16, 0, tzinfo=CHICAGO),
        "ends_at": datetime(2025, 3, 19, 18, 0, tzinfo=CHICAGO),
        "place": "Birmingham Crossplex",
        "address": "2340 Crossplex Blvd",
        "description": (
            "A community feedback session on the city's public-safety plan, recommendation 5: "
            "create a Gun Violence Reduction Strategy (GVRS) to address the root causes of gun "
            "violence, reduce incidents, and build resilience among individuals and "
            "communities.\n\n"
            "Virtual option available.\n\n"
            "For more information, go to birminghamal.gov/csi"
        ),
        "recommendations": [5],
    },
]

NEWS = [
    {
        "slug": "community-walk-east-birmingham-2016",
        "title": "Community walk in east Birmingham",
        "date": date(2016, 7, 13),
        "date_note": "",
        "summary": (
            "Chief A.C. Roper and Birmingham police officers walked in east Birmingham near "
            "Oporto-Madrid Boulevard, meeting people and visiting businesses."
        ),
        "body": (
            "On Wednesday night, July 13, 2016, Birmingham Police Chief A.C. Roper and officers "
            "took part in a community walk in east Birmingham near Oporto-Madrid Boulevard, "
            "meeting people and visiting businesses in the heat.\n\n"
            "Chief Roper said the walk was planned before the deadly officer-involved shootings "
            "and police killings in the country, and that those made it even "
            "more important. He said the department wants to engage citizens, partner with "
            "them and talk to them, to build trust and stronger relationships, and that he "
            "hoped to hear what the department can do to better serve the public.\n\n"
            "WBRC reported on the walk on July 14, 2016."
        ),
        "source_name": "WBRC",
    },
    {
        "slug": "birmingham-safe-neighborhoods-task-force",
        "title": "U.S. Attorney's Office launches the Birmingham Safe Neighborhoods Task Force",
        "date": date(2018, 4, 16),
        "date_note": (
            "The source gives no date for the launch itself: April 16, 2018 is when CBS 42's "
            "video about the new task force was posted."
        ),
        "summary": (
            "A task force to offer prevention and community outreach programs within the city, "
            "announced by U.S. Attorney Jay E. Town."
        ),
        "body": (
            "The U.S. Attorney's Office has launched the Birmingham Safe Neighborhoods Task "
            "Force (BSNTF) to offer prevention and community outreach programs within the "
            "city. It complements the law enforcement work of the Birmingham Public Safety "
            "Task Force, in combined efforts to reduce violent crime in the Birmingham area.\n\n"
            "The task force engages law enforcement, government agencies, nonprofit "
            "organizations and corporate citizens. Its members will develop and conduct "
            "community programs aimed at education, community-police relations and building "
            "opportunities. Building and improving trust and communication between the "
            "community and law enforcement is, U.S. Attorney Town said, a critical function "
            "of the task force.\n\n"
            "Both task forces incorporate principles of Project Safe Neighborhoods, the "
            "Department of Justice's violent crime reduction strategy, and the National "
            "Public Safety Partnership."
        ),
        "source_name": "U.S. Attorney's Office",
    },
]


def load() -> str:
    new_events = 0
    for row in EVENTS:
        fields = {k: v for k, v in row.items() if k not in {"slug", "recommendations"}}
        event, created = Event.objects.get_or_create(
            slug=row["slug"], defaults=fields | {"is_published": True}
        )
        if created:
            event.recommendations.set(
                Recommendation.objects.filter(number__in=row["recommendations"])
            )
            new_events += 1
    new_posts = 0
    for row in NEWS:
        fields = {k: v for k, v in row.items() if k != "slug"}
        _, created = NewsPost.objects.get_or_create(
            slug=row["slug"], defaults=fields | {"is_published": True}
        )
        new_posts += created
    return f"{new_events} events and {new_posts} news posts added"
