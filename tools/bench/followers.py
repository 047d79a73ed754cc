"""How long an editor's status update takes with many followers (the target: under 300 ms,
whatever their number, since the request only records the notice and queues its sending).

Run in a child process (`python -m tools.bench.followers`) with the benchmark's environment,
so it works in the benchmark's database; prints JSON. The update is posted through the whole
stack (middleware, admin, the one service) with Django's test client, a few times at each
number of followers; the median is reported, with the emails sent inside the request (none).
"""

import json
import statistics
import time

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from follow.models import Follower, Frequency, Subscription, Topic, new_token  # noqa: E402
from recommendations.models import Recommendation, Status  # noqa: E402

SIZES = [100, 1_000, 10_000]
RUNS = 5


def grow_followers_to(count: int) -> None:
    have = Follower.objects.count()
    batch = []
    for n in range(have, count):
        batch.append(Follower(email=f"bench{n}@example.org", token=new_token()))
    with transaction.atomic():
        followers = Follower.objects.bulk_create(batch, batch_size=1000)
        Subscription.objects.bulk_create(
            [
                Subscription(
                    follower=f, topic=Topic.PLAN, frequency=Frequency.EACH, token=new_token()
                )
                for f in followers
            ],
            batch_size=1000,
        )


def post_update(client: Client, recommendation: Recommendation, note: str) -> float:
    started = time.perf_counter()
    response = client.post(
        "/staff/recommendations/recommendation/",
        {
            "action": "post_update",
            "_selected_action": [str(recommendation.pk)],
            "apply": "1",
            "status": Status.IN_PROGRESS,
            "note": note,
            "public": "on",
        },
    )
    elapsed = time.perf_counter() - started
    if response.status_code != 302:
        raise SystemExit(f"the update answered {response.status_code}")
    return elapsed * 1000


def main() -> None:
    setup_test_environment()  # the locmem mailer: any email sent inside the request is counted
    editor, _ = User.objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(SERVER_NAME="localhost")
    client.force_login(editor)
    recommendation = Recommendation.objects.get(number=38)
    rows = []
    for size in SIZES:
        grow_followers_to(size)
        post_update(client, recommendation, "Warm-up.")
        mail.outbox = []
        times = [post_update(client, recommendation, f"Bench {size} {n}.") for n in range(RUNS)]
        rows.append(
            {
                "followers": Follower.objects.count(),
                "median_ms": round(statistics.median(times), 1),
                "max_ms": round(max(times), 1),
                "emails_in_request": len(mail.outbox),
                "tasks_waiting": DBTaskResult.objects.filter(status="READY").count(),
            }
        )
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
