"""PostgreSQL's own share of a MARC import: the rows of an import loaded again with no Python.

What the import's throughput can never exceed on this machine, whatever the Python side
does: the rows that ``bench/import_marc.py`` left in the database (records, authors,
subjects, items) are copied out in PostgreSQL's binary format, then loaded back
``--runs`` times (default 3) into the emptied tables, in one transaction like an import
batch, with the same triggers (search rows and their GIN index), indexes and deferred
foreign-key checks. Prints the wall time and the CPU time of the server process for each
table and for the COMMIT (where the deferred foreign keys are checked), then the records
per second that this alone allows on one connection.

One more load runs with the user triggers of ``catalogue_record`` disabled, to show the
share of the search rows (``tsvector`` computation, search table, GIN index); the last
load restores everything, so the database ends as it began.

Exact commands (from the repository root; PostgreSQL on this machine, port 5433):

    DATABASE_URL=postgres://bdvo:bdvo@127.0.0.1:5433/bdvo_imp2 \
        .venv/bin/python bench/import_marc.py --empty .data/loc-booksall-2016-part01.mrc
    DATABASE_URL=postgres://bdvo:bdvo@127.0.0.1:5433/bdvo_imp2 .venv/bin/python bench/import_floor.py

(``/tmp/loc25k.mrc``, the first 25 000 records, for a quicker run: see ``bench/README.md``.)
Destructive while it runs: use a scratch database, never one that people use.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bdvo_portal.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from catalogue.models import Item, Record, RecordAuthor, RecordSubject  # noqa: E402

# Parents first: the order of an import batch.
TABLES = [model._meta.db_table for model in (Record, RecordAuthor, RecordSubject, Item)]
CHUNK = 1 << 20


def _backend_cpu(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


def _dump(cursor, directory: Path) -> dict[str, Path]:
    files = {}
    for table in TABLES:
        files[table] = directory / f"{table}.copy"
        with files[table].open("wb") as out, cursor.copy(f"COPY {table} TO STDOUT (FORMAT BINARY)") as copy:
            for chunk in copy:
                out.write(chunk)
    return files


def _load(cursor, files: dict[str, Path], pid: int) -> list[tuple[str, float, float]]:
    """Empty the tables and load the files in one transaction: ``(step, wall s, server CPU s)``."""
    cursor.execute(f"TRUNCATE {', '.join(TABLES)} CASCADE")
    connection.commit()
    steps = []
    wall, cpu = time.perf_counter(), _backend_cpu(pid)
    with transaction.atomic():
        for table, path in files.items():
            with path.open("rb") as source, cursor.copy(f"COPY {table} FROM STDIN (FORMAT BINARY)") as copy:
                while chunk := source.read(CHUNK):
                    copy.write(chunk)
            steps.append((table, time.perf_counter() - wall, _backend_cpu(pid) - cpu))
    steps.append(("COMMIT", time.perf_counter() - wall, _backend_cpu(pid) - cpu))
    return steps


def _print(label: str, steps: list[tuple[str, float, float]], records: int) -> None:
    previous = (0.0, 0.0)
    parts = []
    for step, wall, cpu in steps:
        parts.append(f"{step.removeprefix('catalogue_')} {cpu - previous[1]:.2f}")
        previous = (wall, cpu)
    wall, cpu = steps[-1][1], steps[-1][2]
    print(f"{label}: {wall:.2f} s wall, {cpu:.2f} s server CPU ({', '.join(parts)})")
    print(f"  -> at most {records / cpu:.0f} records/s on one connection")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only: set DATABASE_URL.")
    connection.ensure_connection()
    cursor = connection.connection.cursor()  # psycopg's own cursor: COPY in binary
    cursor.execute("SELECT pg_backend_pid()")
    pid = cursor.fetchone()[0]
    counts = {}
    for table in TABLES:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - table names from the models
        counts[table] = cursor.fetchone()[0]
    records = counts[TABLES[0]]
    if not records:
        sys.exit("No records: run bench/import_marc.py on this database first.")
    print(f"database: {connection.settings_dict['NAME']}, rows: {counts}")
    with tempfile.TemporaryDirectory() as directory:
        files = _dump(cursor, Path(directory))
        connection.commit()
        for run in range(1, args.runs + 1):
            _print(f"run {run}", _load(cursor, files, pid), records)
        cursor.execute(f"ALTER TABLE {TABLES[0]} DISABLE TRIGGER USER")
        connection.commit()
        try:
            _print(
                "without the search rows (triggers of catalogue_record disabled)", _load(cursor, files, pid), records
            )
        finally:
            cursor.execute(f"ALTER TABLE {TABLES[0]} ENABLE TRIGGER USER")
            connection.commit()
        _print("restore (triggers on)", _load(cursor, files, pid), records)


if __name__ == "__main__":
    main()
