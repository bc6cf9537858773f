"""Benchmark of the MARC import into PostgreSQL (the 250 000 Library of Congress records).

Exact commands (from the repository root, PostgreSQL on port 5433):

    bash ../shared/data/fetch-loc-books.sh .data
    psql -h 127.0.0.1 -p 5433 -U postgres -c "CREATE DATABASE bdvo_bench OWNER bdvo"
    DATABASE_URL=postgres://bdvo:bdvo@127.0.0.1:5433/bdvo_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://bdvo:bdvo@127.0.0.1:5433/bdvo_bench .venv/bin/python bench/import_marc.py .data/loc-booksall-2016-part01.mrc

Options: ``--batch-size N`` (default: the service's), ``--empty`` deletes the catalogue
first (otherwise a second run measures re-import, i.e. updates in place). Prints records/s
and the peak resident memory (``resource.getrusage``), and where the CPU went: this process
(framing, writing), the worker processes (parsing, mapping, formatting the rows) and, when
PostgreSQL runs on this machine, the server process of the connection (COPY, triggers,
search vectors, indexes). The database is left populated.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bdvo_portal.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from catalogue.models import Item, Record, RecordAuthor, RecordSubject  # noqa: E402
from catalogue.services.imports import DEFAULT_BATCH_SIZE, marc_import_file  # noqa: E402


def _backend_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL server process (None when not local)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--empty", action="store_true", help="delete the catalogue before importing")
    parser.add_argument("--workers", type=int, default=None, help="parsing processes (default: automatic)")
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if args.empty:
        with connection.cursor() as cursor:
            tables = [model._meta.db_table for model in (RecordSubject, RecordAuthor, Item, Record)]
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            else:
                for table in tables:
                    cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - table names from the models
    before = Record.objects.count()
    backend_cpu_start = _backend_cpu()
    last = [time.perf_counter(), 0]

    def progress(read: int) -> None:
        now = time.perf_counter()
        if now - last[0] >= 10:
            print(f"  {read} records, {(read - last[1]) / (now - last[0]):.0f} records/s", flush=True)
            last[:] = [now, read]

    start = time.perf_counter()
    report = marc_import_file(path=args.path, batch_size=args.batch_size, progress=progress, workers=args.workers)
    elapsed = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(report.summary())
    print(f"records in the catalogue: {before} before, {Record.objects.count()} after")
    print(f"time: {elapsed:.1f} s, throughput: {report.read / elapsed:.0f} records/s")
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    backend = _backend_cpu()
    backend_text = (
        f"{backend - backend_cpu_start:.1f} s" if backend is not None and backend_cpu_start is not None else "?"
    )
    print(
        f"CPU: this process {own.ru_utime + own.ru_stime:.1f} s, workers {workers.ru_utime + workers.ru_stime:.1f} s, "
        f"PostgreSQL backend {backend_text}"
    )
    print(f"peak memory (max RSS): {peak_kib / 1024:.0f} MiB, largest worker process: {children_kib / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
