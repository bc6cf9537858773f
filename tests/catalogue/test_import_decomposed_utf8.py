"""Records in valid UTF-8 whose only quirk is decomposed accents (as in the Library of Congress
files) take a shorter decoding path: it must give what the full cleaning gives."""

from __future__ import annotations

import unicodedata

import pytest

from catalogue.marc.detection import decode_record, resolve
from catalogue.marc.iso2709 import serialise
from catalogue.marc.reading import parse_iso2709
from catalogue.marc.record import MarcField, MarcRecord
from catalogue.models import Record
from catalogue.services.imports import marc_import_file

NFD_RECORD = MarcRecord(
    "00000cam a2200000 a 4500",
    [
        MarcField("001", data="nfd-1"),
        MarcField("003", data="DLC\x1f"),  # a stray delimiter in a control field: cleaned away
        MarcField("008", data="980101s1998    cl            000 0 spa d"),
        MarcField("100", "1 ", [("a", unicodedata.normalize("NFD", "Rizal, José,")), ("d", "1861-1896.")]),
        MarcField("245", "10", [("a", unicodedata.normalize("NFD", "Noli me tángere /")), ("c", "Rizal.")]),
        # A value starting with a combining mark: normalised on its own, never with its code.
        MarcField("650", " 0", [("a", "Révolutionnaires"), ("x", "\u0301Histoire")]),
    ],
)


def _raw():
    data, _ = serialise(NFD_RECORD, flavour="marc21")
    return parse_iso2709(data)


def test_short_path_gives_the_fields_of_the_full_cleaning():
    record, flavour, encoding = resolve(_raw(), None, flavour=None, encoding=None)
    expected = decode_record(_raw(), encoding="utf-8")
    assert (flavour, encoding) == ("marc21", "utf-8")
    assert record == expected
    assert record.subfield("100", "a") == "Rizal, José,"
    assert record.first("650").subfields == [("a", "Révolutionnaires"), ("x", "\u0301Histoire")]
    assert record.first("245").indicators == "10"
    assert record.control("003") == "DLC"


@pytest.mark.django_db
def test_decomposed_record_is_stored_and_shown_in_nfc(tmp_path):
    data, _ = serialise(NFD_RECORD, flavour="marc21")
    path = tmp_path / "nfd.mrc"
    path.write_bytes(data)
    report = marc_import_file(path=path)
    assert (report.created, report.rejected) == (1, 0)
    record = Record.objects.get(source_id="nfd-1")
    assert record.main_author == "Rizal, José"
    assert record.title == "Noli me tángere"
    stored = bytes(record.marc)
    assert stored != data
    assert unicodedata.is_normalized("NFC", stored.decode("utf-8"))
