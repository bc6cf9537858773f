"""The exporters of the catalogue's espace lists (``catalogue.exports``): registration and the
count of loans written into MARC files (a job's progress). Their files: tests/extranet/test_exports.py."""

from __future__ import annotations

import pymarc

from catalogue.exports import (
    ISO2709,
    MARCXML,
    LoansExporter,
    ReservationsExporter,
    ReturnsExporter,
    iso2709_items,
    marcxml_items,
)
from extranet import exports


def _record(title: str, barcodes: list[str]) -> pymarc.Record:
    record = pymarc.Record(force_utf8=True)
    record.add_field(pymarc.Field(tag="001", data="995995995995"))
    record.add_field(
        pymarc.Field(tag="200", indicators=["1", " "], subfields=[pymarc.Subfield("a", f'{title} 995 tag="995"')])
    )
    for barcode in barcodes:
        record.add_field(pymarc.Field(tag="995", indicators=[" ", " "], subfields=[pymarc.Subfield("f", barcode)]))
    return record


def test_the_three_lists_are_registered_for_partners():
    for identifier, exporter_class in [
        ("loans", LoansExporter),
        ("returns", ReturnsExporter),
        ("reservations", ReservationsExporter),
    ]:
        exporter = exports.get(identifier)
        assert type(exporter) is exporter_class and exporter.for_partners
    assert list(exports.get("loans").formats) == ["mrc", "xml", "csv", "xlsx"]
    assert list(exports.get("reservations").formats) == ["csv", "xlsx"]
    assert (ISO2709.extension, MARCXML.content_type) == ("mrc", "application/marcxml+xml")


def test_items_are_counted_from_the_directory_never_from_the_data():
    records = [_record("Un", ["995-1"]), _record("Deux", ["995-2", "995-3", "995-4"]), _record("Aucun", [])]
    chunk = b"".join(record.as_marc() for record in records)
    assert iso2709_items(chunk) == 4
    assert iso2709_items(b"") == 0


def test_items_are_counted_in_marcxml():
    chunk = b"".join(pymarc.record_to_xml(record) for record in [_record("Un", ["a"]), _record("Deux", ["b", "c"])])
    assert marcxml_items(chunk) == 3
