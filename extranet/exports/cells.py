"""Typed columns of the exports, their text in the CSV and the XLSX writer.

Excel-FR turns digit-only codes of a CSV into numbers (leading zeros lost, 13 digits and
more in scientific notation) and reads dates by locale: lists read by people are also offered
in XLSX (``extranet.exports.formats.XLSX``), whose cells carry their type. Exporters declare
each column's kind (``Column``); their rows hold plain values (``datetime.date`` for a date),
written as text in the CSV by ``text_rows`` and as typed cells in the XLSX by ``xlsx_chunks``.
"""

from __future__ import annotations

import datetime
import decimal
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.utils import timezone
from django.utils.functional import Promise

TEXT = "text"  # any text
CODE = "code"  # barcode, call number, library code: always a text cell, never a number
DATE = "date"  # ``datetime.date``: dd/mm/yyyy
DATETIME = "datetime"  # ``datetime.datetime`` (aware ones in the local time zone): dd/mm/yyyy hh:mm
NUMBER = "number"  # ``int`` / ``Decimal``: a number cell

_KIND_WIDTHS = {DATE: 12, DATETIME: 17, NUMBER: 10}
_MAX_WIDTH = 60
# Rows looked at to size the text columns (the first ones: enough for a list's usual widths).
_WIDTH_SAMPLE = 500


@dataclass(frozen=True)
class Column:
    """One column of an export: its French ``label``, its ``kind`` (``TEXT``, ``CODE``, ``DATE``,
    ``DATETIME``, ``NUMBER``) and, optionally, its width in characters in the XLSX."""

    label: str | Promise
    kind: str = TEXT
    width: int | None = None

    def __str__(self) -> str:
        return str(self.label)


def as_columns(columns: Iterable[str | Promise | Column]) -> list[Column]:
    """``columns`` as ``Column`` (a plain label is a text column)."""
    return [column if isinstance(column, Column) else Column(column) for column in columns]


def _local(value: datetime.datetime) -> datetime.datetime:
    """``value`` in the local time zone, without tzinfo (what a spreadsheet holds)."""
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def text_cell(value: Any) -> Any:
    """A cell of the CSV: dates as dd/mm/yyyy, date-times as dd/mm/yyyy hh:mm (local time)."""
    if isinstance(value, datetime.datetime):
        return _local(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return value


def text_rows(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    """``rows`` with their date and date-time cells written as text (``text_cell``); rows of an
    exporter without date columns pass unchanged."""
    dated = [index for index, column in enumerate(columns) if column.kind in (DATE, DATETIME)]
    if not dated:
        yield from rows
        return
    for row in rows:
        cells = list(row)
        for index in dated:
            cells[index] = text_cell(cells[index])
        yield cells


def _sheet_title(name: str) -> str:
    """``name`` as Excel accepts a sheet's name: 31 characters at most, without ``[]:*?/\\`` nor
    an apostrophe at either end."""
    title = re.sub(r"[\[\]:*?/\\]", " ", name)[:31].strip(" '")
    return title or "Export"


def xlsx_chunks(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_name: str = "Export",
    chunk_size: int = 256 * 1024,
) -> Iterator[bytes]:
    """The bytes of an XLSX workbook of one sheet: a bold header row, frozen, with a filter;
    codes and texts as text cells (a formula or a number is never read into them), dates and
    date-times as real dates (dd/mm/yyyy), numbers as numbers; ``None`` leaves a cell empty.

    XlsxWriter's ``constant_memory`` mode writes each row to a temporary file as it comes, so
    memory stays flat whatever the number of rows; the workbook (a zip) is assembled once the
    rows are written, then streamed by chunks of ``chunk_size`` bytes."""
    with tempfile.TemporaryFile() as handle:
        workbook = xlsxwriter.Workbook(
            handle,
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        sheet = workbook.add_worksheet(_sheet_title(sheet_name))
        header = workbook.add_format({"bold": True, "bottom": 1})
        formats = {
            DATE: workbook.add_format({"num_format": "dd/mm/yyyy"}),
            DATETIME: workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
            CODE: workbook.add_format({"num_format": "@"}),
        }
        widths = [max(len(str(column)), _KIND_WIDTHS.get(column.kind, 8)) for column in columns]
        for index, column in enumerate(columns):
            sheet.write_string(0, index, str(column), header)
        line = 0
        for line, row in enumerate(rows, start=1):
            for index, (column, value) in enumerate(zip(columns, row, strict=False)):
                if value is None or value == "":
                    continue
                kind = column.kind
                if kind in (DATE, DATETIME) and isinstance(value, datetime.date):
                    if isinstance(value, datetime.datetime):
                        value = _local(value)
                    sheet.write_datetime(line, index, value, formats[kind])
                elif (
                    kind == NUMBER and isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool)
                ):
                    sheet.write_number(line, index, value)
                else:
                    text = str(text_cell(value))
                    sheet.write_string(line, index, text, formats.get(kind))
                    if line <= _WIDTH_SAMPLE and len(text) > widths[index]:
                        widths[index] = len(text)
        for index, column in enumerate(columns):
            sheet.set_column(index, index, column.width or min(widths[index] + 2, _MAX_WIDTH), formats.get(column.kind))
        sheet.freeze_panes(1, 0)
        if columns:
            sheet.autofilter(0, 0, line, len(columns) - 1)
        workbook.close()
        handle.seek(0)
        while chunk := handle.read(chunk_size):
            yield chunk
