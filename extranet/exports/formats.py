"""File formats of the exports, and the CSV writer every exporter gets from the ground.

CSV is UTF-8 with a BOM and ``;`` separators, so that French Excel opens the file with its
accents and columns right. Rows are written lazily: memory stays flat whatever the size.
Every CSV of the project is written by ``csv_lines``, which neutralises the cells a
spreadsheet would run as formulas (``spreadsheet_safe``).
"""

from __future__ import annotations

import csv
import decimal
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import StreamingHttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ExportFormat:
    """One format an exporter can write: ``code`` in URLs, French ``label``, HTTP type, file extension."""

    code: str
    label: str | Promise
    content_type: str
    extension: str


CSV = ExportFormat(code="csv", label=_("CSV (tableur)"), content_type="text/csv; charset=utf-8", extension="csv")


class _Echo:
    def write(self, value: str) -> str:
        return value


# A cell starting with one of these is a formula (or becomes one) for Excel and LibreOffice.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """``value`` as a CSV cell no spreadsheet runs as a formula (OWASP's CSV injection rule).

    Numbers (``int``, ``float``, ``Decimal``) are written unchanged, negative ones included;
    ``None`` is an empty cell; anything else is written as its text, prefixed with a single
    quote when it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (so a
    code like ``-12`` stored as text reads ``'-12``, which OWASP accepts).
    """
    if value is None:
        return ""
    if isinstance(value, int | float | decimal.Decimal):  # bool is an int
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_lines(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV text, line by line, starting with the BOM and the header; every cell goes
    through ``spreadsheet_safe`` (``None`` cells are empty, formulas are neutralised)."""
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([spreadsheet_safe(str(label)) for label in header])
    for row in rows:
        yield writer.writerow([spreadsheet_safe(value) for value in row])


def csv_chunks(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """``csv_lines`` encoded in UTF-8: the bytes of a CSV file."""
    return (line.encode("utf-8") for line in csv_lines(header, rows))


def streamed_file(filename: str, content_type: str, chunks: Iterable[bytes]) -> StreamingHttpResponse:
    """A streamed attachment named ``filename``."""
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    """A streamed ``text/csv`` attachment named ``filename``."""
    return streamed_file(filename, CSV.content_type, csv_chunks(header, rows))


# Lists read by people are also offered as a spreadsheet whose cells carry their type (codes
# stay text, dates are dates): see ``extranet.exports.cells``.
XLSX = ExportFormat(
    code="xlsx",
    label=_("Excel (XLSX)"),
    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    extension="xlsx",
)
