"""Exports of the catalogue's espace professionnel lists: « Prêts en cours » and « Retours »
(ISO 2709 UNIMARC and MARCXML written with the library's export profile, CSV, XLSX) and
« Réservations » (CSV, XLSX), through the one export service
of the ground (``extranet.exports``). Registered by ``catalogue/espace.py``.

Each exporter builds its rows from the list's own query string with the list's own filters
and sort (``catalogue.espace_filters``), so a file holds exactly what the list shows; the
selected rows, when some are ticked, must all belong to the list (else 404, see
``extranet.exports.services.export_response``). Exporting is reading: any partner of the
library may export (``PartnerExporter``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.espace_filters import (
    LOAN_COLUMNS,
    RESERVATION_COLUMNS,
    RESERVATION_SORTS,
    RETURN_COLUMNS,
    ReservationFilter,
    filtered_loans,
)
from catalogue.marc.export import iso2709_stream, marcxml_stream
from catalogue.models import DocumentType, Loan, Reservation, export_layout_for
from extranet.exports import (
    CODE,
    CSV,
    DATE,
    DATETIME,
    TEXT,
    XLSX,
    Column,
    ExportError,
    ExportFormat,
    ExportParameters,
    PartnerExporter,
    Progress,
)
from extranet.lists import ordered, parse_sort
from extranet.models import Library

ISO2709 = ExportFormat(code="mrc", label=_("ISO 2709 (UNIMARC)"), content_type="application/marc", extension="mrc")
MARCXML = ExportFormat(code="xml", label=_("MARCXML"), content_type="application/marcxml+xml", extension="xml")
_XML_ITEM_FIELD = re.compile(rb'<datafield [^>]*tag="995"')
# Kind of each list column in the spreadsheet exports (codes stay text, dates are dates).
_COLUMN_KINDS = {
    "barcode": CODE,
    "call_number": CODE,
    "loaned_on": DATE,
    "due_on": DATE,
    "returned_on": DATE,
    "created_at": DATETIME,
}


def _typed(columns: Iterable[tuple[str, Any]]) -> list[Column]:
    return [Column(label, _COLUMN_KINDS.get(key, TEXT)) for key, label in columns]


def library_file_code(library: Library) -> str:
    """The library's code as a file name may hold it (``VDO-MARINES``)."""
    return re.sub(r"[^A-Za-z0-9_-]", "", library.code) or "bibliotheque"


def _with_query(url: str, parameters: ExportParameters) -> str:
    query = parameters.query.urlencode()
    return f"{url}?{query}" if query else url


def iso2709_items(chunk: bytes) -> int:
    """How many items (995 fields) the ISO 2709 records of ``chunk`` hold, read from each
    record's directory (a chunk of ``iso2709_stream`` always ends on a record boundary).

    The directory is searched with ``bytes.find`` and a hit counts only on an entry's
    boundary (every 12 bytes): this runs for every exported record."""
    count = 0
    position = 0
    end = len(chunk)
    while position + 24 <= end:
        start = position + 24
        stop = position + int(chunk[position + 12 : position + 17]) - 1  # base address of the data
        hit = chunk.find(b"995", start, stop)
        while hit != -1:
            if (hit - start) % 12 == 0:
                count += 1
            hit = chunk.find(b"995", hit + 1, stop)
        position += int(chunk[position : position + 5])  # record length
    return count


def marcxml_items(chunk: bytes) -> int:
    """How many items (995 fields) the MARCXML of ``chunk`` holds (``<`` never appears
    unescaped in a value, so every match is a field's own tag)."""
    return len(_XML_ITEM_FIELD.findall(chunk))


def _counted(chunks: Iterable[bytes], items_in: Callable[[bytes], int], progress: Progress) -> Iterator[bytes]:
    """``chunks`` unchanged; each chunk's items (one per exported loan) told to ``progress``."""
    for chunk in chunks:
        yield chunk
        progress.advance(items_in(chunk))


class LoansExporter(PartnerExporter):
    """« Prêts en cours »: the library's loans in progress, as the list filters and sorts them."""

    identifier = "loans"
    verbose_name = _("Prêts en cours")
    menu_section = "loans"
    kind: ClassVar[str] = "loans"
    file_word: ClassVar[str] = "prets"
    columns = _typed(LOAN_COLUMNS)
    formats = {ISO2709.code: ISO2709, MARCXML.code: MARCXML, CSV.code: CSV, XLSX.code: XLSX}

    def get_queryset(self, parameters: ExportParameters) -> QuerySet[Loan]:
        return filtered_loans(Loan.objects.for_library(self.library(parameters)), self.kind, parameters.query)

    def rows(self, parameters: ExportParameters) -> Iterator[list[Any]]:
        """The list's columns, one row per loan, streamed (plain values, dates as dates)."""
        labels = dict(DocumentType.choices)
        fields = [
            "item__record__title",
            "item__record__main_author",
            "item__barcode",
            "item__call_number",
            "item__document_type",
            "item__record__document_type",
            "loaned_on",
            "due_on",
            "returned_on",
        ]
        for (
            title,
            author,
            barcode,
            call_number,
            item_type,
            record_type,
            loaned_on,
            due_on,
            returned_on,
        ) in self.selected(parameters).values_list(*fields).iterator(chunk_size=2000):
            row = [
                title,
                author,
                barcode,
                call_number,
                str(labels.get(item_type or record_type, "")),
                loaned_on,
                due_on,
            ]
            if self.kind == "returns":
                row.append(returned_on)
            yield row

    def chunks(self, parameters: ExportParameters, export_format: ExportFormat, progress: Progress) -> Iterator[bytes]:
        """ISO 2709 or MARCXML: one record per title with one 995 per loan, written as the
        library's export profile says (``ExportError`` in French when that profile cannot be
        written for it); CSV and XLSX: the list's columns.

        A job's progress counts the 995 written (one per loan, the unit of its total). A
        streamed download's plain ``Progress`` records nothing, so the MARC files skip that
        count there (reading every record's directory costs about a tenth of the throughput)."""
        if export_format not in (ISO2709, MARCXML):
            return super().chunks(parameters, export_format, progress)
        try:
            layout = export_layout_for(self.library(parameters))
        except ValidationError as error:
            raise ExportError(" ".join(error.messages)) from error
        loans = self.selected(parameters)
        if export_format == ISO2709:
            chunks = iso2709_stream(loans, layout=layout)
        else:
            chunks = marcxml_stream(loans, layout=layout)
        if type(progress) is Progress:
            return chunks
        items_in = iso2709_items if export_format == ISO2709 else marcxml_items
        return _counted(chunks, items_in, progress)

    def filename(self, parameters: ExportParameters, export_format: ExportFormat) -> str:
        """``VDO-MARINES_prets_2026-11-28.mrc``: library code, list, date, format."""
        day = timezone.localdate().isoformat()
        return f"{library_file_code(self.library(parameters))}_{self.file_word}_{day}.{export_format.extension}"

    def list_url(self, parameters: ExportParameters) -> str:
        return _with_query(reverse(f"extranet:{self.kind}"), parameters)


class ReturnsExporter(LoansExporter):
    """« Retours »: the library's returned loans, as the list filters and sorts them."""

    identifier = "returns"
    verbose_name = _("Retours")
    menu_section = "returns"
    kind = "returns"
    file_word = "retours"
    columns = _typed(RETURN_COLUMNS)


class ReservationsExporter(PartnerExporter):
    """« Réservations »: the library's reservations matching the list's filters, in its sort order."""

    identifier = "reservations"
    verbose_name = _("Réservations")
    menu_section = "reservations"
    columns = _typed(RESERVATION_COLUMNS)
    formats = {CSV.code: CSV, XLSX.code: XLSX}
    default_format = CSV.code  # the list's « Exporter » link

    def get_queryset(self, parameters: ExportParameters) -> QuerySet[Reservation]:
        base = Reservation.objects.for_library(self.library(parameters))
        filterset = ReservationFilter(parameters.query, queryset=base)
        queryset = filterset.qs if filterset.is_valid() else base.none()
        key, descending = parse_sort(parameters.query.get("o"), RESERVATION_SORTS, "-created_at")
        return ordered(queryset, RESERVATION_SORTS, key, descending)

    def rows(self, parameters: ExportParameters) -> Iterator[Sequence[Any]]:
        for title, author, created_at, status in (
            self.selected(parameters)
            .values_list("record__title", "record__main_author", "created_at", "status")
            .iterator(chunk_size=2000)
        ):
            yield (title, author, created_at, Reservation.Status(status).label)

    def filename(self, parameters: ExportParameters, export_format: ExportFormat) -> str:
        """``VDO-MARINES_reservations_2026-11-28.csv``."""
        code = library_file_code(self.library(parameters))
        return f"{code}_reservations_{timezone.localdate().isoformat()}.{export_format.extension}"

    def list_url(self, parameters: ExportParameters) -> str:
        return _with_query(reverse("extranet:reservations"), parameters)


EXPORTERS = [LoansExporter, ReturnsExporter, ReservationsExporter]
