"""MARC import: read a file, map its records, write them in batches.

Contract of :func:`marc_import_file`:

- every record is read, decoded and mapped BEFORE anything of its batch is written; a record
  that cannot be used is rejected with its position, its 001 and the reason (in French) and
  nothing of it reaches the database; the good records of the file are kept;
- records are written in batches of ``batch_size``, one transaction per batch: an import
  stopped midway (Ctrl-C, see :class:`ImportInterrupted`) keeps the batches committed
  before, and can go on from the position after them (``resume_after``);
- a record is identified by ``source_id``: its 001, or when it has none its ISBN
  (``isbn:…``), or else a hash of title, first author, publisher and year (``calc:…``).
  Re-importing updates the record in place and replaces its authors and subjects; its items
  are matched by barcode (updated, created; items gone from the file are deleted unless
  they have loans, which keeps the loan history);
- an item barcode already held by another record is not moved: the item is skipped with a
  warning;
- the file is streamed; memory does not grow with its size.
"""

from __future__ import annotations

import datetime
import logging
import multiprocessing
import os
import re
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import TypeAlias

from django.db import DatabaseError, connection, models, transaction
from django.db.models import BooleanField, Max, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.marc.charsets import ENCODING_CHOICES
from catalogue.marc.detection import FLAVOURS, UnsupportedRecord, resolve
from catalogue.marc.iso2709 import serialise
from catalogue.marc.mapping import MAPPED_TAGS, MappedItem, MappedRecord, MappingError, map_record
from catalogue.marc.reading import ReadItem, Unterminated, is_xml, iter_framed, read_item, read_marc
from catalogue.models import Item, Loan, Record, RecordAuthor, RecordSubject
from catalogue.record_page import catalogue_changed

logger = logging.getLogger(__name__)

# A value this module binds to an SQL parameter (among those the database drivers accept).
SQLValue: TypeAlias = str | bytes | int | float | datetime.date | None

# One transaction per batch. Bigger batches cost fewer commits and temporary tables; keep
# them within PARALLEL_WINDOW × workers × PARALLEL_GROUP_SIZE records, so that the workers
# go on preparing while a batch is written.
DEFAULT_BATCH_SIZE = 5000
# The report keeps every rejection, but at most this many warnings (a big file of oversize
# records would otherwise carry one line per record).
MAX_REPORTED_WARNINGS = 1000
PARALLEL_GROUP_SIZE = 500
PARALLEL_MIN_FILE_SIZE = 4 * 1024 * 1024
# Groups waiting per worker: enough to keep the workers busy while a batch is written.
PARALLEL_WINDOW = 6

# Columns of ``Record`` the file gives, in the order the prepared rows carry them.
MAPPED_FIELDS = [
    "flavour",
    "marc",
    "title",
    "responsibility",
    "main_author",
    "publisher",
    "publication_year",
    "isbn",
    "language",
    "document_type",
    "audience",
    "series",
    "summary",
    "authors_text",
    "subjects_text",
]
# GIN pending list of the import transactions (PostgreSQL): new search vectors are appended
# to it and merged into the index in bulk, much cheaper than one index insertion per
# record. The list is merged at the end of the import (see ``_clean_gin_pending_list``),
# so that searches and other writers never meet a long one.
IMPORT_GIN_PENDING_LIST_LIMIT = "64MB"
SEARCH_VECTOR_INDEX = "catalogue_record_search_vector_gin"


@dataclass
class ReportLine:
    """One rejected record (or a warning about a kept one)."""

    position: int
    control_number: str
    message: str
    level: str = "rejet"  # "rejet" or "avertissement"
    offset: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "position": self.position,
            "offset": self.offset,
            "control_number": self.control_number,
            "level": self.level,
            "message": self.message,
        }


@dataclass
class ImportReport:
    """What an import did. ``created`` and ``updated`` count committed records only;
    ``batches`` is the number of committed batches and ``last_position`` the position in
    the file of the last record they hold (0: nothing committed yet)."""

    read: int = 0
    created: int = 0
    updated: int = 0
    rejected: int = 0
    lines: list[ReportLine] = field(default_factory=list)
    warnings_dropped: int = 0
    batches: int = 0
    last_position: int = 0

    @property
    def rejections(self) -> list[ReportLine]:
        return [line for line in self.lines if line.level == "rejet"]

    def reject(self, *, position: int, control_number: str, message: str, offset: int | None = None) -> None:
        self.rejected += 1
        self.lines.append(ReportLine(position, control_number, message, "rejet", offset))

    def warn(self, *, position: int, control_number: str, message: str) -> None:
        if len(self.lines) - self.rejected >= MAX_REPORTED_WARNINGS:
            self.warnings_dropped += 1
            return
        self.lines.append(ReportLine(position, control_number, message, "avertissement"))

    def summary(self) -> str:
        return _("%(read)s notices lues, %(created)s créées, %(updated)s mises à jour, %(rejected)s rejetées") % {
            "read": self.read,
            "created": self.created,
            "updated": self.updated,
            "rejected": self.rejected,
        }


@dataclass(slots=True)
class _Prepared:
    """One record ready to write, compact because it crosses from a worker process.

    ``row`` holds the values of ``MAPPED_FIELDS``; ``authors`` ``(name, role, position)``
    and ``subjects`` their labels. When prepared for COPY (PostgreSQL), ``row`` is already
    a line of COPY text without its end (``authors`` and ``subjects`` too, one string each):
    the writing process then only prefixes the record id.
    """

    position: int
    source_id: str
    row: tuple[SQLValue, ...] | str
    authors: list[tuple[str, str, int]] | list[str]
    subjects: list[str]
    items: list[MappedItem]
    warnings: list[str]


class ImportFileError(ValueError):
    """The file itself cannot be imported (missing, unreadable, bad option)."""


class ImportInterrupted(KeyboardInterrupt):
    """Ctrl-C (``SIGINT``) during an import: ``report`` tells exactly what was committed
    (see :func:`_ctrl_c_after_the_batch`); nothing read after ``report.last_position`` is."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__()
        self.report = report


def marc_import_file(
    *,
    path: str | Path,
    flavour: str | None = None,
    encoding: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    resume_after: int = 0,
) -> ImportReport:
    """Import the MARC file at ``path`` (ISO 2709 or MARCXML; UNIMARC or MARC 21).

    ``flavour`` (``unimarc``/``marc21``) and ``encoding`` (see
    ``catalogue.marc.charsets.ENCODING_CHOICES``) override the detection for every record.
    ``progress(n)`` is called after each batch with the number of records read so far.
    ``workers``: processes that parse and map while this one writes (default: see
    :func:`default_workers`).
    ``resume_after``: records up to this position are skipped (not counted in the report),
    to go on after the last committed batch of an interrupted import.
    Raises ``ImportFileError`` when the file cannot be opened or an option is unknown;
    problems of single records go to the report instead. Raises :class:`ImportInterrupted`
    on Ctrl-C (once the batch being written, if any, is committed).
    """
    if flavour and flavour not in FLAVOURS:
        raise ImportFileError(_("Format inconnu : %(value)s.") % {"value": flavour})
    if encoding and encoding not in ENCODING_CHOICES:
        raise ImportFileError(_("Encodage inconnu : %(value)s.") % {"value": encoding})
    if batch_size < 1:
        raise ImportFileError(_("La taille des lots doit être positive."))
    if resume_after < 0:
        raise ImportFileError(_("La position de reprise ne peut pas être négative."))
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(_("Fichier introuvable : %(path)s.") % {"path": path})
    report = ImportReport()
    for_copy = connection.vendor == "postgresql"
    try:
        workers = default_workers(path) if workers is None else workers
        prepared = _prepare(path, flavour or None, encoding or None, report, workers, for_copy, resume_after)
        interrupted = False
        try:
            for batch in _batches(prepared, batch_size):
                with _ctrl_c_after_the_batch():
                    _write_batch(batch, report)
                if progress is not None:
                    progress(report.read)
        except KeyboardInterrupt as interrupt:
            interrupted = True
            raise ImportInterrupted(report) from interrupt
        finally:
            # After Ctrl-C, leave the merge to autovacuum: the user asked to stop now.
            if for_copy and report.created + report.updated and not interrupted:
                _clean_gin_pending_list()
    except OSError as error:
        raise ImportFileError(_("Lecture du fichier impossible : %(error)s") % {"error": error}) from error
    return report


@dataclass(slots=True)
class _Rejected:
    position: int
    control_number: str
    message: str
    offset: int | None


def _prepare_one(item: ReadItem, flavour: str | None, encoding: str | None, for_copy: bool) -> _Prepared | _Rejected:
    """Decode, map and serialise one read record. Pure (no database, no report): it also
    runs in the worker processes of a parallel import."""
    if item.error:
        return _Rejected(item.position, item.control_number, item.error, item.offset)
    try:
        raw_data = item.raw.data if item.raw is not None else None
        # Well-formed records may be stored byte for byte; then only the mapped fields
        # need decoding.
        only = MAPPED_TAGS if raw_data is not None and raw_data[9:10] == b"a" else None
        record, used_flavour, _encoding = resolve(item.raw, item.record, flavour=flavour, encoding=encoding, only=only)
        raw_data = item.raw.data if item.raw is not None else None  # reset when cleaned
        warnings: list[str]
        if raw_data is not None and _storable_as_is(raw_data, used_flavour):
            marc, warnings = raw_data, []
        else:
            if raw_data is not None and only is not None:  # partly decoded: decode it all
                record, used_flavour, _encoding = resolve(item.raw, None, flavour=flavour, encoding=encoding)
            marc, warnings = serialise(record, flavour=used_flavour)
        mapped = map_record(record, used_flavour)
    except (UnsupportedRecord, MappingError) as error:
        return _Rejected(item.position, item.control_number, str(error), item.offset)
    except Exception as error:  # a reader bug must cost one record, not the whole file
        logger.exception("MARC record %s could not be mapped", item.position)
        message = _("Notice illisible (%(error)s).") % {"error": type(error).__name__}
        return _Rejected(item.position, item.control_number, message, item.offset)
    mapped.warnings.extend(warnings)
    return _prepared(item.position, mapped, marc, for_copy)


def _prepared(position: int, mapped: MappedRecord, marc: bytes, for_copy: bool) -> _Prepared:
    row = (
        mapped.flavour,
        marc,
        mapped.title,
        mapped.responsibility,
        mapped.main_author,
        mapped.publisher,
        mapped.publication_year,
        mapped.isbn,
        mapped.language,
        mapped.document_type,
        mapped.audience,
        mapped.series,
        mapped.summary,
        mapped.authors_text,
        mapped.subjects_text,
    )
    authors = [(name, role, index) for index, (name, role) in enumerate(mapped.authors)]
    if not for_copy:
        return _Prepared(position, mapped.source_id, row, authors, mapped.subjects, mapped.items, mapped.warnings)
    return _Prepared(
        position,
        mapped.source_id,
        _copy_line(row),
        [_copy_line(author) for author in authors],
        [_copy_value(label) for label in mapped.subjects],
        mapped.items,
        mapped.warnings,
    )


def _prepare_group(
    group: list[tuple[int, int, bytes | Unterminated]], flavour: str | None, encoding: str | None, for_copy: bool
) -> list[_Prepared | _Rejected]:
    """Worker side of a parallel import: a group of framed ISO 2709 records."""
    return [_prepare_one(read_item(*framed), flavour, encoding, for_copy) for framed in group]


def _account(results: Iterable[_Prepared | _Rejected], report: ImportReport) -> Iterator[_Prepared]:
    for result in results:
        report.read += 1
        if isinstance(result, _Rejected):
            report.reject(
                position=result.position,
                control_number=result.control_number,
                message=result.message,
                offset=result.offset,
            )
            continue
        for warning in result.warnings:
            report.warn(position=result.position, control_number=result.source_id, message=warning)
        yield result


def _prepare(
    path: Path,
    flavour: str | None,
    encoding: str | None,
    report: ImportReport,
    workers: int,
    for_copy: bool,
    resume_after: int = 0,
) -> Iterator[_Prepared]:
    if workers <= 1:
        yield from _account(
            (
                _prepare_one(item, flavour, encoding, for_copy)
                for item in read_marc(path)
                if item.position > resume_after
            ),
            report,
        )
        return
    # Parallel: this process frames the file and writes to the database while worker
    # processes parse, decode, map and format the rows. At most PARALLEL_WINDOW groups per
    # worker wait, so memory stays bounded whatever the file size. Workers never touch the
    # database.
    context = multiprocessing.get_context("fork")
    with open(path, "rb") as stream, context.Pool(workers, initializer=_ignore_interrupts) as pool:
        pending: deque[AsyncResult[list[_Prepared | _Rejected]]] = deque()
        group: list[tuple[int, int, bytes | Unterminated]] = []
        arguments = (flavour, encoding, for_copy)
        for framed in iter_framed(stream):
            if framed[0] <= resume_after:
                continue
            group.append(framed)
            if len(group) >= PARALLEL_GROUP_SIZE:
                pending.append(pool.apply_async(_prepare_group, (group, *arguments)))
                group = []
                if len(pending) >= PARALLEL_WINDOW * workers:
                    yield from _account(pending.popleft().get(), report)
        if group:
            pending.append(pool.apply_async(_prepare_group, (group, *arguments)))
        while pending:
            yield from _account(pending.popleft().get(), report)


@contextmanager
def _ctrl_c_after_the_batch() -> Iterator[None]:
    """Ctrl-C while a batch is written takes effect once it is committed and counted: the
    report then says exactly what the database holds (a KeyboardInterrupt could otherwise
    fall between the commit and the count). A second Ctrl-C stops at once, rolling the batch
    back. Only where Ctrl-C raises KeyboardInterrupt (main thread, Python's own handler):
    Celery workers and the web server keep theirs."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield
        return
    interrupted: list[int] = []

    def defer(signum: int, frame: object) -> None:
        if interrupted:
            raise KeyboardInterrupt
        interrupted.append(signum)

    signal.signal(signal.SIGINT, defer)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if interrupted:
        raise KeyboardInterrupt


def _ignore_interrupts() -> None:
    """Worker processes leave Ctrl-C to the importing process (which stops them): the
    terminal sends it to all of them, and each would print its own traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def default_workers(path: Path) -> int:
    """Worker processes for ``path``: parallel for big ISO 2709 files when this process may
    have children (not inside a daemonic Celery prefork worker), else 1."""
    if multiprocessing.current_process().daemon or (os.cpu_count() or 1) < 2:
        return 1
    try:
        if path.stat().st_size < PARALLEL_MIN_FILE_SIZE:
            return 1
        with open(path, "rb") as stream:
            if is_xml(stream.read(64)):
                return 1
    except OSError:
        return 1
    return min(os.cpu_count() or 1, 4)


def _storable_as_is(data: bytes, flavour: str) -> bool:
    """A clean, well-formed UTF-8 record with the leader the portal stores (leader/09 ``a``,
    MARC 21 ``4500`` / UNIMARC ``450 ``) is kept byte for byte: serialising it again would
    give the same bytes, slower."""
    return data[9:10] == b"a" and data[20:24] == (b"4500" if flavour == "marc21" else b"450 ")


def _batches(prepared: Iterator[_Prepared], size: int) -> Iterator[list[_Prepared]]:
    batch: list[_Prepared] = []
    for entry in prepared:
        batch.append(entry)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_batch(batch: list[_Prepared], report: ImportReport) -> None:
    """Write one batch in one transaction; its counts reach ``report`` once it is committed."""
    # The same source_id twice in a batch: the last one wins (as a second import would).
    by_source: dict[str, _Prepared] = {}
    replaced = 0
    for entry in batch:
        if entry.source_id in by_source:
            report.warn(
                position=entry.position,
                control_number=entry.source_id,
                message=_("Identifiant déjà vu plus haut dans le fichier : cette notice remplace la précédente."),
            )
            replaced += 1
        by_source[entry.source_id] = entry
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('gin_pending_list_limit', %s, true)", [IMPORT_GIN_PENDING_LIST_LIMIT])
        existing = _record_ids_by_source(list(by_source))
        new_sources = [source_id for source_id in by_source if source_id not in existing]
        record_ids = dict(existing)
        record_ids.update(zip(new_sources, _allocate_record_ids(len(new_sources)), strict=True))
        _insert_records([(record_ids[source_id], by_source[source_id]) for source_id in new_sources], stamp)
        updated = [(record_id, by_source[source_id]) for source_id, record_id in existing.items()]
        if updated:
            _update_records(updated, stamp)
        _write_authors_and_subjects(
            [(record_ids[source_id], entry) for source_id, entry in by_source.items()], set(existing.values())
        )
        _write_items(by_source, record_ids, list(existing.values()), report)
        # COPY and bulk updates send no signals: every cached record page is rendered again.
        catalogue_changed()
    report.created += len(new_sources)
    report.updated += len(updated) + replaced
    report.batches += 1
    report.last_position = batch[-1].position


def _record_ids_by_source(source_ids: list[str]) -> dict[str, int]:
    """``{source_id: id}`` of the records already in the catalogue among ``source_ids``."""
    return dict(Record.objects.filter(_one_of(Record, "source_id", source_ids)).values_list("source_id", "id"))


def _one_of(model: type[models.Model], column: str, values: list[str] | list[int]) -> Q | RawSQL:
    """``column IN values`` for a whole batch. PostgreSQL: one array parameter (``= ANY``):
    an ``__in`` of a batch costs the writing process more than the query itself (one
    placeholder per value, built by Django and split again by psycopg)."""
    if connection.vendor != "postgresql":
        return Q(**{f"{column}__in": values})
    name = f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(column)}"
    return RawSQL(f"{name} = ANY(%s)", [values], output_field=BooleanField())  # noqa: S611 - names from the model


def _allocate_record_ids(count: int) -> list[int]:
    """Ids for ``count`` new records, taken before inserting them so that their authors,
    subjects and items can be written in the same pass (and by COPY on PostgreSQL)."""
    if not count:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Record._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]
    # SQLite: the import transaction holds the write lock (IMMEDIATE), so max(id) is stable.
    start = (Record.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    return list(range(start, start + count))


def _insert_records(rows: list[tuple[int, _Prepared]], stamp: SQLValue) -> None:
    """Insert new records: ``rows`` are ``(id, prepared record)``."""
    columns = ["id", "source_id", *MAPPED_FIELDS, "updated_at", "created_at"]
    if not rows:
        return
    if connection.vendor != "postgresql":
        _insert(Record, columns, [(record_id, entry.source_id, *entry.row, stamp, stamp) for record_id, entry in rows])
        return
    stamp_text = _copy_value(stamp)
    _copy(
        Record,
        columns,
        "".join(
            f"{record_id}\t{_copy_value(entry.source_id)}\t{entry.row}\t{stamp_text}\t{stamp_text}\n"
            for record_id, entry in rows
        ),
    )


def _update_records(rows: list[tuple[int, _Prepared]], stamp: SQLValue) -> None:
    """Update records in place: ``rows`` are ``(id, prepared record)``. A record whose
    fields and MARC are those of the file already is left alone (no new row version, no
    search vector to recompute, ``updated_at`` kept). PostgreSQL: COPY into a temporary
    table, then one ``UPDATE … FROM``; elsewhere ``executemany``."""
    table = connection.ops.quote_name(Record._meta.db_table)
    columns = [connection.ops.quote_name(name) for name in MAPPED_FIELDS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TEMPORARY TABLE import_record_update ON COMMIT DROP AS "  # noqa: S608 - names from the model
                f"SELECT id, {', '.join(columns)} FROM {table} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY import_record_update (id, {', '.join(columns)}) FROM STDIN") as copy:
                copy.write("".join(f"{record_id}\t{entry.row}\n" for record_id, entry in rows).encode("utf-8"))
            assignments = ", ".join(f"{column} = u.{column}" for column in columns)
            current = ", ".join(f"r.{column}" for column in columns)
            wanted = ", ".join(f"u.{column}" for column in columns)
            cursor.execute(
                f"UPDATE {table} AS r SET {assignments}, updated_at = %s FROM import_record_update AS u "  # noqa: S608
                f"WHERE r.id = u.id AND ({current}) IS DISTINCT FROM ({wanted})",
                [stamp],
            )
            cursor.execute("DROP TABLE import_record_update")
        else:
            assignments = ", ".join(f"{column} = %s" for column in columns)
            changed = " OR ".join(f"{column} IS NOT %s" for column in columns)
            cursor.executemany(
                f"UPDATE {table} SET {assignments}, updated_at = %s WHERE id = %s AND ({changed})",  # noqa: S608
                [(*entry.row, stamp, record_id, *entry.row) for record_id, entry in rows],
            )


def _write_authors_and_subjects(rows: list[tuple[int, _Prepared]], updated_ids: set[int]) -> None:
    """Authors and subjects of the batch's records (``(id, prepared record)``): written for
    new records, replaced for the ``updated_ids`` ones."""
    author_columns = ["record_id", "name", "role", "position"]
    subject_columns = ["record_id", "label"]
    if connection.vendor != "postgresql":
        if updated_ids:
            RecordAuthor.objects.filter(record_id__in=updated_ids).delete()
            RecordSubject.objects.filter(record_id__in=updated_ids).delete()
        _insert(RecordAuthor, author_columns, [(rid, *author) for rid, entry in rows for author in entry.authors])
        _insert(RecordSubject, subject_columns, [(rid, label) for rid, entry in rows for label in entry.subjects])
        return
    for model, columns, lines in (
        (RecordAuthor, author_columns, [(rid, line) for rid, entry in rows for line in entry.authors]),
        (RecordSubject, subject_columns, [(rid, line) for rid, entry in rows for line in entry.subjects]),
    ):
        _copy(model, columns, "".join(f"{rid}\t{line}\n" for rid, line in lines if rid not in updated_ids))
        if updated_ids:
            _replace_rows(
                model, columns, "".join(f"{rid}\t{line}\n" for rid, line in lines if rid in updated_ids), updated_ids
            )


def _replace_rows(model: type[models.Model], columns: list[str], text: str, record_ids: set[int]) -> None:
    """PostgreSQL: make the rows of ``model`` for ``record_ids`` exactly those of ``text``
    (COPY text of ``columns``), deleting and inserting only what differs: a re-import of
    an unchanged file then writes nothing."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = [connection.ops.quote_name(column) for column in columns]
    same = " AND ".join(f"n.{name} = t.{name}" for name in names)
    twin = " AND ".join(f"o.{name} = t.{name}" for name in names)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE import_replace ON COMMIT DROP AS "  # noqa: S608 - names from the model
            f"SELECT {', '.join(names)} FROM {table} WITH NO DATA"
        )
        if text:
            with cursor.cursor.copy(f"COPY import_replace ({', '.join(names)}) FROM STDIN") as copy:
                copy.write(text.encode("utf-8"))
        # Rows gone from the file, and duplicates of a row kept (several identical rows
        # made outside the import), go.
        cursor.execute(
            f"DELETE FROM {table} AS t WHERE t.record_id = ANY(%s) AND ("  # noqa: S608
            f"NOT EXISTS (SELECT 1 FROM import_replace AS n WHERE {same}) "
            f"OR EXISTS (SELECT 1 FROM {table} AS o WHERE {twin} AND o.id < t.id))",
            [list(record_ids)],
        )
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(names)} FROM import_replace AS t "  # noqa: S608
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} AS n WHERE {same})"
        )
        cursor.execute("DROP TABLE import_replace")


def _clean_gin_pending_list() -> None:
    """Merge the search index's pending list filled by the import (PostgreSQL). Needs to
    own the index; otherwise autovacuum does it later."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [SEARCH_VECTOR_INDEX])
    except DatabaseError:
        logger.warning("Search index pending list not merged after the MARC import", exc_info=True)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_SPECIALS_RE = re.compile(r"[\\\t\n\r]")


def _copy_value(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\\\x" + bytes(value).hex()  # bytea hex input, its backslash escaped for COPY
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value)


def _copy_line(values: tuple[SQLValue, ...]) -> str:
    """``values`` as one line of PostgreSQL's COPY text format, without its end."""
    # Most lines have nothing to escape: one scan of their texts then saves a translate
    # per value (this runs for every record, author and subject).
    if _COPY_SPECIALS_RE.search("".join([value for value in values if type(value) is str])) is not None:
        return "\t".join(map(_copy_value, values))
    return "\t".join([value if type(value) is str else _copy_value(value) for value in values])


def _copy(model: type[models.Model], columns: list[str], text: str) -> None:
    """PostgreSQL: COPY ``text`` (lines of ``columns`` values in COPY text format) into the
    table of ``model``, in one ``write``."""
    if not text:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
        copy.write(text.encode("utf-8"))


def _insert(model: type[models.Model], columns: list[str], rows: list[tuple[SQLValue, ...]]) -> None:
    """Insert ``rows`` (values of ``columns``) into the table of ``model``: COPY on
    PostgreSQL, ``executemany`` elsewhere. No model instances: this is the hot path."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy(model, columns, "".join(_copy_line(row) + "\n" for row in rows))
        return
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(column) for column in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})", rows)  # noqa: S608


def _write_items(
    by_source: dict[str, _Prepared], record_ids: dict[str, int], updated_ids: list[int], report: ImportReport
) -> None:
    wanted: dict[str, tuple[int, MappedItem, _Prepared]] = {}
    for source_id, entry in by_source.items():
        for item in entry.items:
            if item.barcode in wanted:
                report.warn(
                    position=entry.position,
                    control_number=source_id,
                    message=_("Code-barres %(barcode)s déjà présent dans une autre notice du fichier : ignoré.")
                    % {"barcode": item.barcode},
                )
                continue
            wanted[item.barcode] = (record_ids[source_id], item, entry)
    if not wanted and not updated_ids:
        return
    existing_items = (
        {item.barcode: item for item in Item.objects.filter(_one_of(Item, "barcode", list(wanted)))} if wanted else {}
    )
    if updated_ids:
        existing_items.update(
            {item.barcode: item for item in Item.objects.filter(_one_of(Item, "record_id", updated_ids))}
        )
    batch_record_ids = set(record_ids.values())
    to_create: list[tuple[SQLValue, ...]] = []
    to_update: list[Item] = []
    for barcode, (record_id, mapped_item, entry) in wanted.items():
        current = existing_items.get(barcode)
        if current is None:
            to_create.append(
                (
                    record_id,
                    barcode,
                    mapped_item.call_number,
                    mapped_item.section,
                    mapped_item.document_type,
                    Item.Status.AVAILABLE.value,
                )
            )
        elif current.record_id == record_id or current.record_id in batch_record_ids:
            wanted_values = (record_id, mapped_item.call_number, mapped_item.section, mapped_item.document_type)
            if (current.record_id, current.call_number, current.section, current.document_type) == wanted_values:
                continue  # unchanged (a re-import of the same file): no UPDATE
            current.record_id, current.call_number, current.section, current.document_type = wanted_values
            to_update.append(current)
        else:
            report.warn(
                position=entry.position,
                control_number=entry.source_id,
                message=_("Code-barres %(barcode)s déjà utilisé par une autre notice du catalogue : ignoré.")
                % {"barcode": barcode},
            )
    if updated_ids:
        updated = set(updated_ids)
        gone = [
            item.id for barcode, item in existing_items.items() if barcode not in wanted and item.record_id in updated
        ]
        if gone:
            with_loans = set(Loan.objects.all_libraries().filter(item_id__in=gone).values_list("item_id", flat=True))
            Item.objects.filter(id__in=[item_id for item_id in gone if item_id not in with_loans]).delete()
    if to_update:
        Item.objects.bulk_update(to_update, ["record_id", "call_number", "section", "document_type"], batch_size=500)
    _insert(Item, ["record_id", "barcode", "call_number", "section", "document_type", "status"], to_create)
