"""Throughput and memory of the ISO 2709 (UNIMARC) loans export on PostgreSQL.

Command (PostgreSQL on 127.0.0.1:5433, role bdvo/bdvo superuser — ``bash scripts/start-postgres.sh``)::

    .venv/bin/python bench/export_loans.py

It creates (once) the database ``bdvo_bench_loans``, migrates it and fills it with
realistic records: 30 000 UNIMARC records generated with pymarc (most items of the BDVO
are catalogued in UNIMARC) and the first 10 000 MARC 21 records of the Library of Congress
file ``../shared/data/marc/marc21/loc_booksall2016_part01_first10000_utf8.mrc`` (converted
to UNIMARC at export). Libraries ``BENCH-10K`` and ``BENCH-50K`` borrow 10 000 and 50 000
items of the UNIMARC records (two items per record); ``BENCH-LOC`` borrows one item of each
LoC record. Each export then runs in a fresh child process through the code path of the
"Exporter" button (``catalogue.exports.LoansExporter.chunks`` in ISO 2709), and reports records/s, loans/s
(best of five runs, with the median) and the peak RSS of that process (flat memory: 10k and 50k should be close).

``--rebuild`` drops and refills the database.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = "bdvo_bench_loans"
SERVER = "postgres://bdvo:bdvo@127.0.0.1:5433"
LOC_FILE = ROOT.parent / "shared" / "data" / "marc" / "marc21" / "loc_booksall2016_part01_first10000_utf8.mrc"
UNIMARC_RECORDS = 30_000
LIBRARIES = [("BENCH-10K", 10_000), ("BENCH-50K", 50_000)]
REPEAT = 5  # exports per library; the best run and the median are reported (the machine is shared)

SURNAMES = [
    "Hugo",
    "Zola",
    "Sand",
    "Colette",
    "Duras",
    "Ernaux",
    "Modiano",
    "Camus",
    "Sagan",
    "Pennac",
    "Vargas",
    "Maalouf",
]
FORENAMES = [
    "Victor",
    "Émile",
    "George",
    "Marguerite",
    "Annie",
    "Patrick",
    "Albert",
    "Françoise",
    "Daniel",
    "Fred",
    "Amin",
]
WORDS = [
    "Les",
    "jardins",
    "de",
    "l'été",
    "mémoire",
    "Ærø",
    "Œuvres",
    "nuit",
    "rivière",
    "océan",
    "enfance",
    "voyage",
    "secret",
]
PUBLISHERS = ["Gallimard", "Flammarion", "Actes Sud", "Le Seuil", "L'École des loisirs", "Dargaud", "Casterman"]
SUBJECTS = ["Roman français", "Bande dessinée", "Histoire", "Nature", "Cuisine", "Voyages", "Littérature jeunesse"]


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bdvo_portal.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _unimarc_record(index: int, rng: random.Random) -> bytes:
    import pymarc

    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6))).capitalize()
    surname, forename = rng.choice(SURNAMES), rng.choice(FORENAMES)
    year = rng.randint(1950, 2025)
    record = pymarc.Record(force_utf8=True, leader="     nam0 22        450 ")
    record.add_field(
        pymarc.Field(tag="001", data=f"BENCH{index:08d}"),
        pymarc.Field(
            tag="010",
            indicators=[" ", " "],
            subfields=[pymarc.Subfield("a", f"978{index:010d}"), pymarc.Subfield("d", "19 EUR")],
        ),
        pymarc.Field(
            tag="100",
            indicators=[" ", " "],
            subfields=[pymarc.Subfield("a", f"20240101d{year}    m  y0frey50      ba")],
        ),
        pymarc.Field(tag="101", indicators=["0", " "], subfields=[pymarc.Subfield("a", "fre")]),
        pymarc.Field(
            tag="200",
            indicators=["1", " "],
            subfields=[pymarc.Subfield("a", title), pymarc.Subfield("f", f"{forename} {surname}")],
        ),
        pymarc.Field(
            tag="210",
            indicators=[" ", " "],
            subfields=[
                pymarc.Subfield("a", "Paris"),
                pymarc.Subfield("c", rng.choice(PUBLISHERS)),
                pymarc.Subfield("d", str(year)),
            ],
        ),
        pymarc.Field(
            tag="215",
            indicators=[" ", " "],
            subfields=[pymarc.Subfield("a", f"{rng.randint(30, 900)} p."), pymarc.Subfield("d", "21 cm")],
        ),
        pymarc.Field(
            tag="330",
            indicators=[" ", " "],
            subfields=[pymarc.Subfield("a", " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 80))))],
        ),
        pymarc.Field(
            tag="606",
            indicators=[" ", " "],
            subfields=[pymarc.Subfield("a", rng.choice(SUBJECTS)), pymarc.Subfield("2", "rameau")],
        ),
        pymarc.Field(tag="676", indicators=[" ", " "], subfields=[pymarc.Subfield("a", "843.914")]),
        pymarc.Field(
            tag="700",
            indicators=[" ", "1"],
            subfields=[pymarc.Subfield("a", surname), pymarc.Subfield("b", forename), pymarc.Subfield("4", "070")],
        ),
    )
    return record.as_marc()


def _fill() -> None:
    import datetime

    import pymarc
    from django.db import transaction

    from catalogue.models import Item, Loan, MarcFlavour, Record
    from extranet.models import Library, Territory

    rng = random.Random(2026)
    today = datetime.date(2026, 11, 1)
    with transaction.atomic():
        territory, _ = Territory.objects.get_or_create(name="Banc d'essai")
        libraries = {
            code: Library.objects.create(code=code, name=f"Bibliothèque {code}", commune="Cergy", territory=territory)
            for code in [code for code, _ in LIBRARIES] + ["BENCH-LOC"]
        }
        print(f"generating {UNIMARC_RECORDS} UNIMARC records…", flush=True)
        records = Record.objects.bulk_create(
            (
                Record(
                    source_id=f"BENCH{index:08d}",
                    flavour=MarcFlavour.UNIMARC,
                    marc=_unimarc_record(index, rng),
                    title=f"Titre {index}",
                    main_author=rng.choice(SURNAMES),
                    audience=rng.choice(["adult", "children", ""]),
                )
                for index in range(UNIMARC_RECORDS)
            ),
            batch_size=2000,
        )
        items = Item.objects.bulk_create(
            (
                Item(record=record, barcode=f"BX{record.pk:09d}{copy}", call_number="R BEN", status="on_loan")
                for record in records
                for copy in (1, 2)
            ),
            batch_size=5000,
        )
        position = 0
        for code, count in LIBRARIES:
            chosen = items[position : position + count]
            position += count
            Loan.objects.bulk_create(
                (
                    Loan(
                        item=item,
                        library=libraries[code],
                        loaned_on=today - datetime.timedelta(days=index % 90),
                        due_on=today + datetime.timedelta(days=120),
                    )
                    for index, item in enumerate(chosen)
                ),
                batch_size=5000,
            )
        if LOC_FILE.exists():
            print("importing the 10 000 LoC MARC 21 records…", flush=True)
            with LOC_FILE.open("rb") as handle:
                loc = [
                    record
                    for record in pymarc.MARCReader(handle, to_unicode=True, force_utf8=True)
                    if record is not None
                ]
            loc_records = Record.objects.bulk_create(
                (
                    Record(
                        source_id=f"LOC{index:06d}",
                        flavour=MarcFlavour.MARC21,
                        marc=record.as_marc(),
                        title=(record.title or "?")[:1000],
                    )
                    for index, record in enumerate(loc)
                ),
                batch_size=2000,
            )
            loc_items = Item.objects.bulk_create(
                (
                    Item(record=record, barcode=f"LC{record.pk:09d}", call_number="R LOC", status="on_loan")
                    for record in loc_records
                ),
                batch_size=5000,
            )
            Loan.objects.bulk_create(
                (
                    Loan(
                        item=item,
                        library=libraries["BENCH-LOC"],
                        loaned_on=today,
                        due_on=today + datetime.timedelta(days=120),
                    )
                    for item in loc_items
                ),
                batch_size=5000,
            )


def _prepare(rebuild: bool) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if exists and rebuild:
            connection.execute(f'DROP DATABASE "{DATABASE}"')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE}" OWNER bdvo')
    _setup_django(f"{SERVER}/{DATABASE}")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from catalogue.models import Loan

    if not Loan.objects.all_libraries().exists():
        _fill()


def _peak_rss_kib() -> int:
    """VmHWM of this process (ru_maxrss would include the parent's peak, kept across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _measure(code: str) -> None:
    """Child process: export one library's loans, print a result line."""
    _setup_django(f"{SERVER}/{DATABASE}")
    from django.http import QueryDict

    from catalogue.exports import ISO2709, LoansExporter
    from extranet.exports import ExportParameters, Progress
    from extranet.models import Library, User

    library = Library.objects.get(code=code)
    exporter = LoansExporter()
    parameters = ExportParameters(user=User(library=library), library=library, query=QueryDict(""))
    loan_count = exporter.count(parameters)
    rss_before = _peak_rss_kib()
    timings = []
    for _attempt in range(REPEAT):
        started = time.perf_counter()
        size = records = 0
        for chunk in exporter.chunks(parameters, ISO2709, Progress()):
            size += len(chunk)
            records += chunk.count(b"\x1d")
        timings.append(time.perf_counter() - started)
    elapsed = min(timings)
    median = sorted(timings)[REPEAT // 2]
    peak = _peak_rss_kib()
    print(
        f"{code:10s} loans={loan_count:6d} records={records:6d} bytes={size / 1e6:7.1f} MB "
        f"best of {REPEAT} time={elapsed:6.2f}s records/s={records / elapsed:8.0f} loans/s={loan_count / elapsed:8.0f} "
        f"(median {median:5.2f}s, {records / median:6.0f} records/s) "
        f"peak RSS={peak / 1024:6.1f} MiB (before export {rss_before / 1024:6.1f} MiB)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        _measure(args.measure)
        return
    _prepare(args.rebuild)
    for code in [code for code, _ in LIBRARIES] + ["BENCH-LOC"]:
        subprocess.run([sys.executable, __file__, "--measure", code], check=True)


if __name__ == "__main__":
    main()
