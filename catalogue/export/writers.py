"""Streamed export files of loans: UNIMARC ISO 2709 (``.mrc``) and MARCXML (``.xml``).

Each function takes a queryset of ``Loan`` (already scoped to one library by the caller)
and yields bytes. Loans are read ordered by record with ``.iterator(chunk_size=…)``; the
MARC data of each chunk's records is fetched by one query per chunk, so memory stays flat
whatever the number of loans, and a record is written once with one 995 per exported item.

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
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from catalogue.export.iso2709 import (
    MAX_FIELD_LENGTH,
    MAX_RECORD_LENGTH,
    Field,
    RecordTooLarge,
    build_record,
    split_record,
)
from catalogue.export.unimarc import Item995Writer, marc21_to_unimarc, unimarc_fast, unimarc_fields
from catalogue.models import MarcFlavour, Record

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from catalogue.models import Loan

logger = logging.getLogger(__name__)

DEFAULT_CHUNK_SIZE = 2000
# Tags a receiving system needs to create the record and its items: never left out.
ESSENTIAL_TAGS = {b"001", b"010", b"011", b"100", b"101", b"200", b"205", b"210", b"214", b"215", b"225", b"995"}
ESSENTIAL_TAGS |= {b"700", b"701", b"702", b"710", b"711", b"712"}

# One row per exported loan; the record's own columns come with its MARC data (per title).
_LOAN_FIELDS = (
    "item__record_id",
    "item__barcode",
    "item__call_number",
    "item__document_type",
    "library__code",
    "loaned_on",
    "due_on",
)
_RECORD_FIELDS = ("pk", "flavour", "marc", "document_type", "audience")
LoanRow = tuple[int, str, str, str, str, datetime.date, datetime.date]
RecordRow = tuple[str, bytes, str, str]


def lender_code() -> str:
    """Code of the BDVO written in 995$a/$b (``settings.EXPORT_LENDER_CODE``, ``BDVO`` by default)."""
    return getattr(settings, "EXPORT_LENDER_CODE", "BDVO")


def _record_rows(ids: list[int]) -> list[tuple[int, str, bytes, str, str]]:
    """The ``_RECORD_FIELDS`` of the records ``ids``, in no particular order.

    On PostgreSQL the ids go as one array parameter (``= ANY``: a plan as cheap for scattered
    ids as for contiguous ones) and the rows come back in binary format: the MARC bytes
    as they are stored instead of hex text twice their size, which halves the time spent
    transferring and decoding the records of an export.
    """
    queryset = Record.objects.order_by().values_list(*_RECORD_FIELDS)
    if connection.vendor != "postgresql":
        return [(pk, flavour, bytes(data), *rest) for pk, flavour, data, *rest in queryset.filter(pk__in=ids)]
    sql, params = queryset.filter(
        RawSQL('"catalogue_record"."id" = ANY(%s)', [ids], output_field=BooleanField())
    ).query.sql_with_params()
    connection.ensure_connection()
    # Django's own cursors bind parameters on the client, which rules out binary results.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        return cursor.fetchall()


def _rows(loans: QuerySet[Loan], chunk_size: int) -> Iterator[tuple[LoanRow, RecordRow]]:
    """``(loan, record)`` for each loan, ordered by record then barcode: ``loan`` is the
    ``_LOAN_FIELDS`` row, ``record`` is ``(flavour, marc, document_type, audience)``.

    Loans come from one server-side cursor; the records of each chunk are then read by one
    query on their ids, so a record's bytes are read once however many of its items are
    exported. (A range of ids plus a semi-join on the export's loans looked cheaper, but
    PostgreSQL then hashes every loan of the library for each chunk.)
    """
    rows = loans.order_by("item__record_id", "item__barcode").values_list(*_LOAN_FIELDS).iterator(chunk_size=chunk_size)
    while True:
        chunk = list(itertools.islice(rows, chunk_size))
        if not chunk:
            return
        ids = list(dict.fromkeys(row[0] for row in chunk))
        records = {
            pk: (flavour, data, document_type, audience)
            for pk, flavour, data, document_type, audience in _record_rows(ids)
        }
        for row in chunk:
            yield row, records[row[0]]


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


def _record_id(entry: tuple[LoanRow, RecordRow]) -> int:
    return entry[0][0]


def unimarc_records(loans: QuerySet[Loan], *, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
    """UNIMARC ISO 2709 records (UTF-8) of the loans' titles, one 995 per loan."""
    item_body = Item995Writer(lender_code=lender_code()).body
    for record_id, group in itertools.groupby(_rows(loans, chunk_size), key=_record_id):
        entries = list(group)
        flavour, data, record_type, audience = entries[0][1]
        items = [
            item_body(barcode, call_number, item_type or record_type, audience, library_code, loaned_on, due_on)
            for (_, barcode, call_number, item_type, library_code, loaned_on, due_on), _ in entries
        ]
        if flavour != MarcFlavour.MARC21:
            fast = unimarc_fast(data, items)
            if fast is not None:
                yield fast
                continue
        leader, fields = split_record(data)
        if flavour == MarcFlavour.MARC21:
            leader, fields = marc21_to_unimarc(leader, fields, audience=audience)
        else:
            leader, fields = unimarc_fields(leader, fields)
        yield from fit_record(leader, fields + [(b"995", body) for body in items], label=str(record_id))


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
