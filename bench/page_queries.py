"""SQL queries and server time per page, as a Gestionnaire of the demo data.

Command (from the root of any checkout of the portal, so two versions can be compared on
the same data shape; a scratch SQLite database is created and filled with the demo data)::

    .venv/bin/python bench/page_queries.py                 # this checkout
    (cd ../other-checkout && ../this-checkout/.venv/bin/python ../this-checkout/bench/page_queries.py)

For each page: HTTP status, SQL queries of one request (the count must not grow with the
list's length: the suite checks that), and the median server time of ``--runs`` requests
through Django's test client. Options: ``--runs N`` (default 15), ``--keep`` (reuse the
scratch database of a previous run).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path.cwd()
DATABASE = Path(tempfile.gettempdir()) / f"bdvo-page-queries-{ROOT.name}.sqlite3"
PAGES = [
    ("tableau de bord", "/espace-pro/"),
    ("prêts en cours", "/espace-pro/prets/"),
    ("prêts, 200 par page", "/espace-pro/prets/?per_page=200"),
    ("retours", "/espace-pro/retours/"),
    ("réservations", "/espace-pro/reservations/"),
    ("outils : pré-réservations", "/espace-pro/outils-animation/"),
    ("formations : mes inscriptions", "/espace-pro/formations/"),
    ("utilisateurs", "/espace-pro/utilisateurs/"),
    ("recherche « roman »", "/recherche/?q=roman"),
    ("catalogue d'outils", "/outils-animation/"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bdvo_portal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    if not (args.keep and DATABASE.exists()):
        DATABASE.unlink(missing_ok=True)
        call_command("migrate", verbosity=0)
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed at exit
    setup_test_environment()
    client = Client()
    client.login(username="gestionnaire", password=os.environ.get("DEMO_PASSWORD", "demo-bdvo-2026"))
    print(f"checkout: {ROOT}")
    print(f"{'page':32} {'status':>6} {'queries':>8} {'median ms':>10}")
    for label, url in PAGES:
        client.get(url)  # warm up (template loading, caches)
        reset_queries()  # the log the capture indexes into (requests also reset it when they start)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        print(f"{label:32} {response.status_code:>6} {len(queries):>8} {statistics.median(timings):>10.1f}")


if __name__ == "__main__":
    main()
