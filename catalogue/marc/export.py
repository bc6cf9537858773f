"""Streamed export files of loans: UNIMARC ISO 2709 (``.mrc``) and MARCXML (``.xml``).

Each function takes a queryset of ``Loan`` (already scoped to one library by the caller)
and yields bytes. Loans are read ordered by record, with their record's MARC data, by
chunks (one streamed query on PostgreSQL, a server-side cursor plus one query per chunk
elsewhere), so memory stays flat whatever the number of loans, and a record is written
once with one 995 per exported item.

Records too large for ISO 2709 (over 99 999 bytes, or a field over 9 999 bytes) are never
a crash: ``fit_record`` leaves out the largest descriptive fields that a library system
does not need to create its items (notes, subjects, links…), truncates an over-long
essential field at a character boundary, and as a last resort spreads the 995 of one
title over several copies of the record. Each such case is logged.
"""

from __future__ import annotations

import datetime
import itertools
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

import psycopg
import pymarc
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection

from catalogue.marc.iso2709 import (
    MAX_FIELD_LENGTH,
    MAX_RECORD_LENGTH,
    Field,
    RecordTooLarge,
    build_record,
    split_record,
)
from catalogue.marc.unimarc import Item995Writer, marc21_to_unimarc, unimarc_fast, unimarc_fields
from catalogue.models import MarcFlavour, Record

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from catalogue.models import Loan

logger = logging.getLogger(__name__)

DEFAULT_CHUNK_SIZE = 2000
# Tags a receiving system needs to create the record and its items: never left out.
ESSENTIAL_TAGS = {b"001", b"010", b"011", b"100", b"101", b"200", b"205", b"210", b"214", b"215", b"225", b"995"}
ESSENTIAL_TAGS |= {b"700", b"701", b"702", b"710", b"711", b"712"}

# One row per exported loan: the loan's own columns, then its record's (the MARC data of a
# record lent several times comes with its first loan only; None on the next ones).
_LOAN_FIELDS = (
    "item__record_id",
    "item__barcode",
    "item__call_number",
    "item__document_type",
    "library__code",
    "loaned_on",
    "due_on",
)
_RECORD_FIELDS = ("flavour", "marc", "document_type", "audience")
# (record id, barcode, call number, item type, library code, loaned on, due on,
#  flavour, MARC, record type, audience)
ExportRow = tuple[int, str, str, str, str, datetime.date, datetime.date, str, bytes | None, str, str]


def lender_code() -> str:
    """Code of the BDVO written in 995$a/$b (``settings.EXPORT_LENDER_CODE``, ``BDVO`` by default)."""
    return getattr(settings, "EXPORT_LENDER_CODE", "BDVO")


def _rows(loans: QuerySet[Loan], chunk_size: int) -> Iterator[ExportRow]:
    """One ``ExportRow`` per loan, ordered by record then barcode; the record's columns are
    those of the first row of each record."""
    if connection.vendor == "postgresql":
        return _streamed_rows(loans, chunk_size)
    return _chunked_rows(loans, chunk_size)


def _streamed_rows(loans: QuerySet[Loan], chunk_size: int) -> Iterator[ExportRow]:
    """PostgreSQL: one query joining each loan to its record, streamed in binary.

    The server sends the rows as it produces them, by chunks of ``chunk_size`` (``stream``),
    so it joins and sends the next rows while this process writes the records of the
    previous ones: on two cores the export then costs about the Python part alone. A
    record's MARC bytes come only with its first loan (``lag`` over the export's order),
    so a title lent twice is not transferred twice.

    The connection is busy until the generator is exhausted or closed (closing it early
    cancels the query): nothing else may query the database in between, which neither
    the download nor the Celery task does.
    """
    fields = [*_LOAN_FIELDS, *(f"item__record__{name}" for name in _RECORD_FIELDS)]
    try:
        sql, params = loans.order_by().values_list(*fields).query.sql_with_params()
    except EmptyResultSet:  # ``.none()``, e.g. the list's filters were invalid: no rows
        return
    # Columns by position: values_list selects exactly these fields, in this order.
    names = [f"c{index}" for index in range(len(fields))]
    marc = fields.index("item__record__marc")
    columns = ", ".join(
        f"CASE WHEN lag(c0) OVER w IS DISTINCT FROM c0 THEN {name} END" if index == marc else name
        for index, name in enumerate(names)
    )
    query = (
        f"SELECT {columns} FROM ({sql}) AS loan({', '.join(names)}) "  # noqa: S608 - SQL compiled by Django
        "WINDOW w AS (ORDER BY c0, c1) ORDER BY c0, c1"
    )
    connection.ensure_connection()
    # Django's own cursors bind parameters on the client and fetch everything or by
    # round trips (server-side cursor), which rules out both the binary and the stream.
    with psycopg.Cursor(connection.connection) as cursor:
        yield from cursor.stream(query, params, binary=True, size=chunk_size)


def _chunked_rows(loans: QuerySet[Loan], chunk_size: int) -> Iterator[ExportRow]:
    """Other databases: loans from one server-side cursor; the records of each chunk are
    then read by one query on their ids, so a record's bytes are read once however many
    of its items are exported."""
    rows = loans.order_by("item__record_id", "item__barcode").values_list(*_LOAN_FIELDS).iterator(chunk_size=chunk_size)
    while True:
        chunk = list(itertools.islice(rows, chunk_size))
        if not chunk:
            return
        ids = list(dict.fromkeys(row[0] for row in chunk))
        records = {
            pk: (flavour, bytes(data), document_type, audience)
            for pk, flavour, data, document_type, audience in Record.objects.order_by()
            .values_list("pk", *_RECORD_FIELDS)
            .filter(pk__in=ids)
        }
        for row in chunk:
            yield (*row, *records[row[0]])


def _truncate(body: bytes, limit: int) -> bytes:
    """``body`` cut to ``limit`` bytes without splitting a UTF-8 character."""
    return body[:limit].decode("utf-8", "ignore").encode("utf-8")


def fit_record(leader: bytes, fields: list[Field], *, label: str = "") -> list[bytes]:
    """ISO 2709 bytes of the record, made to fit (see the module docstring): usually one record."""
    try:
        return [build_record(leader, fields)]
    except RecordTooLarge:
        pass
    logger.warning("Export: record %s too large for ISO 2709, descriptive fields left out", label)
    fitted: list[Field] = []
    for tag, body in fields:
        if len(body) + 1 > MAX_FIELD_LENGTH:
            if tag not in ESSENTIAL_TAGS:
                continue
            body = _truncate(body, MAX_FIELD_LENGTH - 1)
        fitted.append((tag, body))
    # Room taken by a field: its data, its terminator and its directory entry.
    size = 24 + 1 + 1 + sum(len(body) + 1 + 12 for _, body in fitted)
    droppable = sorted(
        (index for index, (tag, _) in enumerate(fitted) if tag not in ESSENTIAL_TAGS),
        key=lambda index: -len(fitted[index][1]),
    )
    dropped: set[int] = set()
    for index in droppable:
        if size <= MAX_RECORD_LENGTH:
            break
        dropped.add(index)
        size -= len(fitted[index][1]) + 13
    fitted = [field for index, field in enumerate(fitted) if index not in dropped]
    try:
        return [build_record(leader, fitted)]
    except RecordTooLarge:
        pass
    # Still too large: the same record several times, each with part of the items.
    logger.warning("Export: items of record %s spread over several copies of the record", label)
    description = [field for field in fitted if field[0] != b"995"]
    items = [field for field in fitted if field[0] == b"995"]
    room = MAX_RECORD_LENGTH - (24 + 2 + sum(len(body) + 13 for _, body in description))
    records: list[bytes] = []
    batch: list[Field] = []
    used = 0
    for item in items:
        cost = len(item[1]) + 13
        if batch and used + cost > room:
            records.append(build_record(leader, description + batch))
            batch, used = [], 0
        batch.append(item)
        used += cost
    if batch or not records:
        records.append(build_record(leader, description + batch))
    return records


def unimarc_records(loans: QuerySet[Loan], *, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
    """UNIMARC ISO 2709 records (UTF-8) of the loans' titles, one 995 per loan."""
    item_body = Item995Writer(lender_code=lender_code()).body
    record_id: int | None = None  # an int once the first row is read, before any record is written
    record: tuple = ()
    items: list[bytes] = []
    # A plain loop over the rows (no groupby): this runs for every exported loan.
    for row in _rows(loans, chunk_size):
        if row[0] != record_id:
            if items:
                yield from _record_bytes(record_id, record, items)
            record_id, record, items = row[0], row[7:], []
        items.append(item_body(row[1], row[2], row[3] or record[2], record[3], row[4], row[5], row[6]))
    if items:
        yield from _record_bytes(record_id, record, items)


def _record_bytes(record_id: int | None, record: tuple, items: list[bytes]) -> list[bytes]:
    """The ISO 2709 bytes of one record (``(flavour, marc, type, audience)``) with the 995
    bodies ``items``: usually one record (see ``fit_record``). ``record_id`` only labels the log."""
    flavour, data, _record_type, audience = record
    if flavour != MarcFlavour.MARC21:
        fast = unimarc_fast(data, items)
        if fast is not None:
            return [fast]
    leader, fields = split_record(data)
    if flavour == MarcFlavour.MARC21:
        leader, fields = marc21_to_unimarc(leader, fields, audience=audience)
    else:
        leader, fields = unimarc_fields(leader, fields)
    return fit_record(leader, fields + [(b"995", body) for body in items], label=str(record_id))


def iso2709_stream(
    loans: QuerySet[Loan], *, chunk_size: int = DEFAULT_CHUNK_SIZE, buffer_bytes: int = 256 * 1024
) -> Iterator[bytes]:
    """The ``.mrc`` file, in pieces of about ``buffer_bytes`` (fewer, larger writes)."""
    buffer: list[bytes] = []
    size = 0
    for record in unimarc_records(loans, chunk_size=chunk_size):
        buffer.append(record)
        size += len(record)
        if size >= buffer_bytes:
            yield b"".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield b"".join(buffer)


MARCXML_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">\n'
MARCXML_TAIL = b"</collection>\n"


def marcxml_stream(loans: QuerySet[Loan], *, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
    """The same records as ``iso2709_stream`` in MARCXML (MARC21-slim namespace)."""
    yield MARCXML_HEAD
    for data in unimarc_records(loans, chunk_size=chunk_size):
        record = pymarc.Record(data=data, to_unicode=True, force_utf8=True)
        yield pymarc.record_to_xml(record) + b"\n"
    yield MARCXML_TAIL
