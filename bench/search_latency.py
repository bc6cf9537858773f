"""Latency of the search page on the 250 000 Library of Congress records (PostgreSQL).

The database ``bdvo_bench`` is the one ``bench/import_marc.py`` fills (see its docstring);
migrate it first so that the search index exists. Exact command, from the repository root:

    DATABASE_URL=postgres://bdvo:bdvo@127.0.0.1:5433/bdvo_bench .venv/bin/python manage.py migrate
    psql -h 127.0.0.1 -p 5433 -U bdvo bdvo_bench -c "VACUUM (FULL, ANALYZE) catalogue_record"
    DATABASE_URL=postgres://bdvo:bdvo@127.0.0.1:5433/bdvo_bench .venv/bin/python bench/search_latency.py

(The VACUUM matters only when the records were imported before migrations 0003-0004:
their backfill rewrites every row and the table keeps twice its size until vacuumed.)

Each case requests ``/recherche/`` through Django's test client (URL routing, the real
view, template rendering, context processors) once to warm up, then ``--runs`` times
(default 20), and prints the number of hits, p50 and p95 in milliseconds and the number of
SQL queries of one page. Options: ``--runs N``, ``--only SUBSTRING`` (cases whose label
contains it). Read-only: the database is not modified.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bdvo_portal.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from catalogue.models import Record  # noqa: E402

# (label, query-string parameters): narrow and broad, English and French, with and without facets.
CASES: list[tuple[str, dict[str, object]]] = [
    ("narrow EN: shakespeare sonnets", {"q": "shakespeare sonnets", "scope": "catalogue"}),
    ("narrow EN: hemingway", {"q": "hemingway", "scope": "catalogue"}),
    ("narrow EN: civil war virginia", {"q": "civil war virginia", "scope": "catalogue"}),
    ("narrow FR: chevaux", {"q": "chevaux", "scope": "catalogue"}),
    ("narrow FR: révolution française", {"q": "révolution française"}),
    ("narrow FR: guerre", {"q": "guerre"}),
    ("medium EN: music", {"q": "music", "scope": "catalogue"}),
    ("medium EN: love", {"q": "love"}),
    ("medium EN: war", {"q": "war", "scope": "catalogue"}),
    ("medium EN: war + facet language=eng", {"q": "war", "scope": "catalogue", "language": "eng"}),
    (
        "medium EN: art + facets type=book, period=1990",
        {"q": "art", "scope": "catalogue", "type": "book", "period": "1990"},
    ),
    ("medium EN: music sorted by title", {"q": "music", "scope": "catalogue", "sort": "title"}),
    ("broad EN: united states", {"q": "united states", "scope": "catalogue"}),
    ("broad EN: history (broadest one-word query)", {"q": "history", "scope": "catalogue"}),
    ("broad EN: history + facet available=1", {"q": "history", "scope": "catalogue", "available": "1"}),
    ("broad EN: history, page 50", {"q": "history", "scope": "catalogue", "page": "50"}),
    # The links of a record page: a new search on one author or subject, without words.
    (
        "record-page link: author (2 610 records)",
        {"scope": "catalogue", "author": "Copyright Paperback Collection (Library of Congress)"},
    ),
    ("record-page link: subject (705 records)", {"scope": "catalogue", "subject": "United States"}),
    # Browsing by facets alone, without words (sorted by title).
    ("browse: language=rus", {"scope": "catalogue", "language": "rus"}),
    ("browse: audience=children", {"scope": "catalogue", "audience": "children"}),
    ("browse: type=book, language=fre", {"scope": "catalogue", "type": "book", "language": "fre"}),
    ("browse: empty query (whole catalogue)", {"scope": "catalogue"}),
]


class QueryCounter:
    """``connection.execute_wrapper`` counting the SQL statements of one request."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL (DATABASE_URL=postgres://…/bdvo_bench).")
    setup_test_environment()  # response.context and the "testserver" host
    print(f"database: {connection.settings_dict['NAME']}, {Record.objects.count()} records, {args.runs} runs per case")
    print(f"{'case':<50} {'hits':>7} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    client = Client()
    for label, params in CASES:
        if args.only and args.only not in label:
            continue
        response = client.get("/recherche/", params)
        if response.status_code != 200:
            sys.exit(f"{label}: HTTP {response.status_code}")
        hits = response.context["results"].count
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            client.get("/recherche/", params)
        timings = []
        for _run in range(args.runs):
            start = time.perf_counter()
            client.get("/recherche/", params)
            timings.append((time.perf_counter() - start) * 1000)
        p50 = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20, method="inclusive")[18] if len(timings) > 1 else timings[0]
        print(f"{label:<50} {hits:>7} {p50:>8.1f} {p95:>8.1f} {counter.count:>8}", flush=True)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
