"""Queries per page (page cache off) and gzip bytes of each page with its CSS and JS.

Run in a child process (`python -m tools.bench.weights`) with the benchmark's environment, so
it reads the benchmark's database; prints JSON.
"""

import gzip
import json
import re

PAGES = [
    "/",
    "/programs/",
    "/precincts/",
    "/precincts/north/",
    "/precincts/find/?q=35207",
    "/precincts/find/?q=35203",
    "/precincts/find/?q=36104",
    "/precincts/find/?q=99999",
    "/safety-plan/",
    "/safety-plan/38/",
    "/safety-plan/progress/",
    "/volunteer/",
    "/events/",
    "/privacy/",
    "/accessibility/",
    # The same pages in Spanish: they must weigh and cost what the English ones do.
    "/es/",
    "/es/programs/",
    "/es/precincts/north/",
    "/es/precincts/find/?q=35207",
    "/es/safety-plan/",
    "/es/safety-plan/38/",
    "/es/safety-plan/progress/",
    "/es/volunteer/",
    "/es/events/",
]


def page_weights() -> list[dict]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    pages = list(PAGES)
    found = re.findall(r'href="(/programs/[a-z0-9-]+/)"', client.get("/programs/").text)
    pages.insert(2, found[0] if found else "/programs/")
    rows = []
    for path in pages:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        count = len(queries)  # before the next request resets the connection's query log
        if response.status_code != 200:
            continue
        html = response.content
        assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
        total = len(gzip.compress(html))
        for asset in assets:
            total += len(gzip.compress(b"".join(client.get(asset.decode()).streaming_content)))
        rows.append({"path": path, "queries": count, "bytes": total})
    return rows


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(page_weights()))
