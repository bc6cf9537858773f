"""MARC import: read a file, map its records, write them in batches.

Contract of :func:`marc_import_file`:

- every record is read, decoded and mapped BEFORE anything of its batch is written; a record
  that cannot be used is rejected with its position, its 001 and the reason (in French) and
  nothing of it reaches the database; the good records of the file are kept;
- records are written in batches of ``batch_size``, one transaction per batch;
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
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.marc.charsets import ENCODING_CHOICES
from catalogue.marc.detection import FLAVOURS, UnsupportedRecord, resolve
from catalogue.marc.iso2709 import serialise
from catalogue.marc.mapping import MAPPED_TAGS, MappedItem, MappedRecord, MappingError, map_record
from catalogue.marc.reading import ReadItem, is_xml, iter_framed, read_item, read_marc
from catalogue.models import Item, Loan, MarcImport, Record, RecordAuthor, RecordSubject

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 2000
# The report keeps every rejection, but at most this many warnings (a big file of oversize
# records would otherwise carry one line per record).
MAX_REPORTED_WARNINGS = 1000
PARALLEL_GROUP_SIZE = 500
PARALLEL_MIN_FILE_SIZE = 4 * 1024 * 1024
# Groups waiting per worker: enough to keep the workers busy while a batch is written.
PARALLEL_WINDOW = 6

RECORD_FIELDS = [
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
    "updated_at",
]


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
    read: int = 0
    created: int = 0
    updated: int = 0
    rejected: int = 0
    lines: list[ReportLine] = field(default_factory=list)
    warnings_dropped: int = 0

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


@dataclass
class _Prepared:
    position: int
    mapped: MappedRecord
    marc: bytes


class ImportFileError(ValueError):
    """The file itself cannot be imported (missing, unreadable, bad option)."""


def marc_import_file(
    *,
    path: str | Path,
    flavour: str | None = None,
    encoding: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import the MARC file at ``path`` (ISO 2709 or MARCXML; UNIMARC or MARC 21).

    ``flavour`` (``unimarc``/``marc21``) and ``encoding`` (see
    ``catalogue.marc.charsets.ENCODING_CHOICES``) override the detection for every record.
    ``progress(n)`` is called after each batch with the number of records read so far.
    ``workers``: processes that parse and map while this one writes (default: see
    :func:`default_workers`).
    Raises ``ImportFileError`` when the file cannot be opened or an option is unknown;
    problems of single records go to the report instead.
    """
    if flavour and flavour not in FLAVOURS:
        raise ImportFileError(_("Format inconnu : %(value)s.") % {"value": flavour})
    if encoding and encoding not in ENCODING_CHOICES:
        raise ImportFileError(_("Encodage inconnu : %(value)s.") % {"value": encoding})
    if batch_size < 1:
        raise ImportFileError(_("La taille des lots doit être positive."))
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(_("Fichier introuvable : %(path)s.") % {"path": path})
    report = ImportReport()
    try:
        workers = default_workers(path) if workers is None else workers
        prepared = _prepare(path, flavour or None, encoding or None, report, workers)
        for batch in _batches(prepared, batch_size):
            _write_batch(batch, report)
            if progress is not None:
                progress(report.read)
    except OSError as error:
        raise ImportFileError(_("Lecture du fichier impossible : %(error)s") % {"error": error}) from error
    return report


@dataclass
class _Rejected:
    position: int
    control_number: str
    message: str
    offset: int | None


def _prepare_one(item: ReadItem, flavour: str | None, encoding: str | None) -> _Prepared | _Rejected:
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
    return _Prepared(item.position, mapped, marc)


def _prepare_group(group: list[tuple[int, int, bytes]], flavour: str | None, encoding: str | None) -> list:
    """Worker side of a parallel import: a group of framed ISO 2709 records."""
    return [_prepare_one(read_item(*framed), flavour, encoding) for framed in group]


def _account(results, report: ImportReport) -> Iterator[_Prepared]:
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
        for warning in result.mapped.warnings:
            report.warn(position=result.position, control_number=result.mapped.source_id, message=warning)
        yield result


def _prepare(
    path: Path, flavour: str | None, encoding: str | None, report: ImportReport, workers: int = 1
) -> Iterator[_Prepared]:
    if workers <= 1:
        yield from _account((_prepare_one(item, flavour, encoding) for item in read_marc(path)), report)
        return
    # Parallel: this process frames the file and writes to the database while worker
    # processes parse, decode and map. At most PARALLEL_WINDOW groups per worker wait, so memory stays
    # bounded whatever the file size. Workers never touch the database.
    context = multiprocessing.get_context("fork")
    with open(path, "rb") as stream, context.Pool(workers) as pool:
        pending: deque = deque()
        group: list[tuple[int, int, bytes]] = []
        for framed in iter_framed(stream):
            group.append(framed)
            if len(group) >= PARALLEL_GROUP_SIZE:
                pending.append(pool.apply_async(_prepare_group, (group, flavour, encoding)))
                group = []
                if len(pending) >= PARALLEL_WINDOW * workers:
                    yield from _account(pending.popleft().get(), report)
        if group:
            pending.append(pool.apply_async(_prepare_group, (group, flavour, encoding)))
        while pending:
            yield from _account(pending.popleft().get(), report)


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


def _record_values(entry: _Prepared, now) -> dict[str, object]:
    mapped = entry.mapped
    return {
        "flavour": mapped.flavour,
        "marc": entry.marc,
        "title": mapped.title,
        "responsibility": mapped.responsibility,
        "main_author": mapped.main_author,
        "publisher": mapped.publisher,
        "publication_year": mapped.publication_year,
        "isbn": mapped.isbn,
        "language": mapped.language,
        "document_type": mapped.document_type,
        "audience": mapped.audience,
        "series": mapped.series,
        "summary": mapped.summary,
        "authors_text": mapped.authors_text,
        "subjects_text": mapped.subjects_text,
        "updated_at": now,
    }


def _write_batch(batch: list[_Prepared], report: ImportReport) -> None:
    # The same source_id twice in a batch: the last one wins (as a second import would).
    by_source: dict[str, _Prepared] = {}
    for entry in batch:
        if entry.mapped.source_id in by_source:
            report.warn(
                position=entry.position,
                control_number=entry.mapped.source_id,
                message=_("Identifiant déjà vu plus haut dans le fichier : cette notice remplace la précédente."),
            )
            report.updated += 1
        by_source[entry.mapped.source_id] = entry
    now = timezone.now()
    with transaction.atomic():
        existing = dict(Record.objects.filter(source_id__in=list(by_source)).values_list("source_id", "id"))
        new_sources = [source_id for source_id in by_source if source_id not in existing]
        record_ids = dict(existing)
        record_ids.update(zip(new_sources, _allocate_record_ids(len(new_sources)), strict=True))
        stamp = connection.ops.adapt_datetimefield_value(now)
        rows = []
        for source_id in new_sources:
            values = _record_values(by_source[source_id], stamp)
            rows.append((record_ids[source_id], source_id, *(values[name] for name in RECORD_FIELDS), stamp))
        _insert(Record, ["id", "source_id", *RECORD_FIELDS, "created_at"], rows)
        updated_ids = [existing[source_id] for source_id in by_source if source_id in existing]
        if updated_ids:
            _update_records(
                [
                    (existing[source_id], *(values[name] for name in RECORD_FIELDS))
                    for source_id, entry in by_source.items()
                    if source_id in existing
                    for values in (_record_values(entry, stamp),)
                ]
            )
            RecordAuthor.objects.filter(record_id__in=updated_ids).delete()
            RecordSubject.objects.filter(record_id__in=updated_ids).delete()
        report.created += len(new_sources)
        report.updated += len(updated_ids)

        authors: list[tuple[object, ...]] = []
        subjects: list[tuple[object, ...]] = []
        for source_id, entry in by_source.items():
            record_id = record_ids[source_id]
            authors.extend(
                (record_id, name, role, position) for position, (name, role) in enumerate(entry.mapped.authors)
            )
            subjects.extend((record_id, label) for label in entry.mapped.subjects)
        _insert(RecordAuthor, ["record_id", "name", "role", "position"], authors)
        _insert(RecordSubject, ["record_id", "label"], subjects)
        _write_items(by_source, record_ids, updated_ids, report)


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


def _update_records(rows: list[tuple[object, ...]]) -> None:
    """Update records in place: ``rows`` are ``(id, *RECORD_FIELDS values)``. PostgreSQL:
    COPY into a temporary table, then one ``UPDATE … FROM``; elsewhere ``executemany``."""
    table = connection.ops.quote_name(Record._meta.db_table)
    columns = [connection.ops.quote_name(name) for name in RECORD_FIELDS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TEMPORARY TABLE import_record_update ON COMMIT DROP AS "  # noqa: S608 - names from the model
                f"SELECT id, {', '.join(columns)} FROM {table} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY import_record_update (id, {', '.join(columns)}) FROM STDIN") as copy:
                copy.write(_copy_text(rows))
            assignments = ", ".join(f"{column} = u.{column}" for column in columns)
            cursor.execute(f"UPDATE {table} AS r SET {assignments} FROM import_record_update AS u WHERE r.id = u.id")  # noqa: S608
            cursor.execute("DROP TABLE import_record_update")
        else:
            assignments = ", ".join(f"{column} = %s" for column in columns)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608 - names from the model
                [(*row[1:], row[0]) for row in rows],
            )


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


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


def _copy_text(rows: list[tuple[object, ...]]) -> bytes:
    """Rows in PostgreSQL's COPY text format: one ``write`` instead of a call per row."""
    return "".join("\t".join(map(_copy_value, row)) + "\n" for row in rows).encode("utf-8")


def _insert(model, columns: list[str], rows: list[tuple[object, ...]]) -> None:
    """Insert ``rows`` (values of ``columns``) into the table of ``model``: COPY on
    PostgreSQL, ``executemany`` elsewhere. No model instances: this is the hot path."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                copy.write(_copy_text(rows))
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})", rows)  # noqa: S608


def _write_items(
    by_source: dict[str, _Prepared], record_ids: dict[str, int], updated_ids: list[int], report: ImportReport
) -> None:
    wanted: dict[str, tuple[int, MappedItem, _Prepared]] = {}
    for source_id, entry in by_source.items():
        for item in entry.mapped.items:
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
    existing_items = {item.barcode: item for item in Item.objects.filter(barcode__in=list(wanted))} if wanted else {}
    if updated_ids:
        existing_items.update({item.barcode: item for item in Item.objects.filter(record_id__in=updated_ids)})
    batch_record_ids = set(record_ids.values())
    to_create: list[tuple[object, ...]] = []
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
            current.record_id = record_id
            current.call_number = mapped_item.call_number
            current.section = mapped_item.section
            current.document_type = mapped_item.document_type
            to_update.append(current)
        else:
            report.warn(
                position=entry.position,
                control_number=entry.mapped.source_id,
                message=_("Code-barres %(barcode)s déjà utilisé par une autre notice du catalogue : ignoré.")
                % {"barcode": barcode},
            )
    if updated_ids:
        updated = set(updated_ids)
        gone = [
            item.id for barcode, item in existing_items.items() if barcode not in wanted and item.record_id in updated
        ]
        if gone:
            with_loans = set(Loan.objects.filter(item_id__in=gone).values_list("item_id", flat=True))
            Item.objects.filter(id__in=[item_id for item_id in gone if item_id not in with_loans]).delete()
    if to_update:
        Item.objects.bulk_update(to_update, ["record_id", "call_number", "section", "document_type"], batch_size=500)
    _insert(Item, ["record_id", "barcode", "call_number", "section", "document_type", "status"], to_create)


def marc_import_run(*, marc_import: MarcImport, batch_size: int = DEFAULT_BATCH_SIZE) -> MarcImport:
    """Run the import of an uploaded file (admin) and store its counts and report on the row.

    The row goes RUNNING → DONE, or FAILED with ``error`` when the file cannot be read."""
    marc_import.status = MarcImport.Status.RUNNING
    marc_import.save(update_fields=["status"])
    try:
        report = marc_import_file(
            path=marc_import.file.path,
            flavour=marc_import.flavour or None,
            encoding=marc_import.encoding or None,
            batch_size=batch_size,
            # No worker processes from a web or Celery process (forking a threaded process
            # is fragile; prefork workers may not have children anyway).
            workers=1,
        )
    except ImportFileError as error:
        marc_import.status = MarcImport.Status.FAILED
        marc_import.error = str(error)
    else:
        marc_import.status = MarcImport.Status.DONE
        marc_import.records_read = report.read
        marc_import.records_created = report.created
        marc_import.records_updated = report.updated
        marc_import.records_rejected = report.rejected
        marc_import.report = [line.as_dict() for line in report.lines]
        marc_import.error = ""
    marc_import.finished_at = timezone.now()
    marc_import.save()
    return marc_import
