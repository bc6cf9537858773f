"""UNIMARC ISO 2709 / MARCXML export of loans: conversion, 100 and 995, file validity."""

from __future__ import annotations

import datetime
import io
import xml.etree.ElementTree as ET

import pymarc
import pytest

from catalogue.marc.export import iso2709_stream, marcxml_stream
from catalogue.marc.iso2709 import MAX_RECORD_LENGTH
from catalogue.models import Loan, MarcFlavour
from tests.catalogue.export_checks import barcodes_995, read_with_pymarc, yaz_dump
from tests.factories import ItemFactory, LoanFactory, RecordFactory, make_marc

pytestmark = pytest.mark.django_db

LOANED_ON = datetime.date(2026, 9, 1)
LOC_FILE = "marc21/loc_booksall2016_part01_first10000_utf8.mrc"


def _lend(record, library, barcode, **item):
    return LoanFactory(
        item=ItemFactory(record=record, barcode=barcode, **item),
        library=library,
        loaned_on=LOANED_ON,
        due_on=LOANED_ON + datetime.timedelta(days=120),
    )


def _export(library) -> bytes:
    return b"".join(iso2709_stream(Loan.objects.for_library(library)))


def test_unimarc_record_keeps_its_fields_declares_utf8_and_gets_one_995_per_item(library):
    source = pymarc.Record(force_utf8=True, leader="     nam  22        450 ")
    source.add_field(
        pymarc.Field(tag="001", data="REC-1"),
        pymarc.Field(
            tag="100", indicators=[" ", " "], subfields=[pymarc.Subfield("a", "20200101d2019    m  y0frey0103    ba")]
        ),
        pymarc.Field(
            tag="200",
            indicators=["1", " "],
            subfields=[pymarc.Subfield("a", "Les Misérables"), pymarc.Subfield("f", "Victor Hugo")],
        ),
        pymarc.Field(
            tag="330", indicators=[" ", " "], subfields=[pymarc.Subfield("a", "Œuvres de jeunesse, Ærø et ailleurs.")]
        ),
        pymarc.Field(tag="995", indicators=[" ", " "], subfields=[pymarc.Subfield("f", "OLD-BARCODE")]),
    )
    record = RecordFactory(title="Les Misérables", marc=source.as_marc(), audience="adult")
    _lend(record, library, "B-1", call_number="R HUG", document_type="book")
    _lend(record, library, "B-2", call_number="R HUG 2", document_type="book")

    data = _export(library)
    records = read_with_pymarc(data)
    assert len(records) == 1  # one record, two 995
    exported = records[0]
    assert exported.leader[9] == "a"
    coded = exported["100"]["a"]
    assert len(coded) == 36 and coded[26:30] == "50  "
    assert exported["200"]["a"] == "Les Misérables"
    assert exported["330"]["a"] == "Œuvres de jeunesse, Ærø et ailleurs."
    assert sorted(barcodes_995(records)) == ["B-1", "B-2"]
    first = exported.get_fields("995")[0]
    assert first["a"] == first["b"] == "BDVO"
    assert first["c"] == library.code
    assert first["k"] == "R HUG"
    assert first["m"] == "20260901" and first["n"] == "20261230"
    assert first["r"] == "LIV" and first["q"] == "a"
    dump = yaz_dump(data)
    assert "Les Misérables" in dump and "Ærø" in dump and "Œuvres" in dump


def test_only_the_exported_items_and_libraries_appear(library, other_library):
    record = RecordFactory()
    _lend(record, library, "MINE")
    _lend(record, other_library, "THEIRS")
    records = read_with_pymarc(_export(library))
    assert barcodes_995(records) == ["MINE"]


def test_marc21_records_are_converted_to_unimarc(library, shared_marc_dir):
    sources = []
    with open(shared_marc_dir / LOC_FILE, "rb") as handle:
        for index, source in enumerate(pymarc.MARCReader(handle, to_unicode=True, force_utf8=True)):
            if index >= 60:
                break
            sources.append(source)
            record = RecordFactory(
                source_id=f"LOC{index}", flavour=MarcFlavour.MARC21, marc=source.as_marc(), title=source.title or "?"
            )
            _lend(record, library, f"LOC-{index:03d}")
    data = _export(library)
    records = read_with_pymarc(data)
    yaz_dump(data)
    assert len(records) == len(sources)
    assert sorted(barcodes_995(records)) == [f"LOC-{index:03d}" for index in range(len(sources))]
    by_id = {record["001"].data: record for record in records}
    for source in sources:
        exported = by_id[source["001"].data]
        assert exported.get_fields("245") == [] and exported.get_fields("995")
        assert exported.leader[9] == "a" and exported.leader[20:24] == "450 "
        assert exported["100"]["a"][26:28] == "50" and len(exported["100"]["a"]) == 36
        assert source["245"]["a"].rstrip(" /:;.,") == exported["200"]["a"].rstrip(" .")
        if source.get_fields("100"):
            person = exported["700"]
            assert person["a"] and len(person["4"]) == 3 and person["4"].isdigit()
            assert source["100"]["a"].startswith(person["a"])
        for tag, target in (("020", "010"), ("650", "606"), ("651", "607"), ("520", "330"), ("490", "225")):
            assert bool(source.get_fields(tag)) == bool(exported.get_fields(target)), (tag, source["001"].data)
        if source.get_fields("260") or source.get_fields("264"):
            assert exported.get_fields("210") or exported.get_fields("214")
        language = source["008"].data[35:38]
        if language.strip():
            assert language in exported["101"].get_subfields("a")


def test_marc21_relators_and_publication_mapping(library):
    source = pymarc.Record(force_utf8=True, leader="     nam a22     7i 4500")
    source.add_field(
        pymarc.Field(tag="001", data="M21-1"),
        pymarc.Field(tag="008", data="200101s2019    fr a   j      000 1 fre d"),
        pymarc.Field(
            tag="020",
            indicators=[" ", " "],
            subfields=[pymarc.Subfield("a", "9782070409228 (broché)"), pymarc.Subfield("c", "12 EUR")],
        ),
        pymarc.Field(
            tag="100",
            indicators=["1", " "],
            subfields=[
                pymarc.Subfield("a", "Hugo, Victor,"),
                pymarc.Subfield("d", "1802-1885,"),
                pymarc.Subfield("e", "author."),
            ],
        ),
        pymarc.Field(
            tag="245",
            indicators=["1", "0"],
            subfields=[
                pymarc.Subfield("a", "Les Misérables :"),
                pymarc.Subfield("b", "roman /"),
                pymarc.Subfield("c", "Victor Hugo ; illustrations de Gustave Brion."),
            ],
        ),
        pymarc.Field(
            tag="264",
            indicators=[" ", "1"],
            subfields=[
                pymarc.Subfield("a", "Paris :"),
                pymarc.Subfield("b", "Gallimard,"),
                pymarc.Subfield("c", "2019."),
            ],
        ),
        pymarc.Field(
            tag="490", indicators=["1", " "], subfields=[pymarc.Subfield("a", "Folio ;"), pymarc.Subfield("v", "12")]
        ),
        pymarc.Field(
            tag="520", indicators=[" ", " "], subfields=[pymarc.Subfield("a", "Jean Valjean, forçat libéré…")]
        ),
        pymarc.Field(
            tag="650",
            indicators=[" ", "0"],
            subfields=[pymarc.Subfield("a", "Poor"), pymarc.Subfield("z", "France"), pymarc.Subfield("v", "Fiction.")],
        ),
        pymarc.Field(
            tag="700",
            indicators=["1", " "],
            subfields=[pymarc.Subfield("a", "Brion, Gustave,"), pymarc.Subfield("e", "illustrator.")],
        ),
        pymarc.Field(
            tag="710", indicators=["2", " "], subfields=[pymarc.Subfield("a", "Société des amis de Victor Hugo.")]
        ),
    )
    record = RecordFactory(flavour=MarcFlavour.MARC21, marc=source.as_marc(), audience="children")
    _lend(record, library, "M21")
    exported = read_with_pymarc(_export(library))[0]
    assert (
        exported["010"]["a"] == "9782070409228"
        and exported["010"]["b"] == "broché"
        and exported["010"]["d"] == "12 EUR"
    )
    assert exported["200"]["a"] == "Les Misérables" and exported["200"]["e"] == "roman"
    assert exported["200"]["f"] == "Victor Hugo ; illustrations de Gustave Brion"
    assert exported["214"].indicator2 == "1" and exported["214"]["c"] == "Gallimard" and exported["214"]["d"] == "2019"
    assert exported["225"]["a"] == "Folio" and exported["225"]["v"] == "12"
    assert exported["330"]["a"] == "Jean Valjean, forçat libéré…"
    assert exported["606"]["a"] == "Poor" and exported["606"]["y"] == "France" and exported["606"]["j"] == "Fiction"
    assert exported["606"]["2"] == "lcsh"
    assert (exported["700"]["a"], exported["700"]["b"], exported["700"]["f"], exported["700"]["4"]) == (
        "Hugo",
        "Victor",
        "1802-1885",
        "070",
    )
    assert (exported["701"]["a"], exported["701"]["4"]) == ("Brion", "440")
    assert exported["712"]["a"] == "Société des amis de Victor Hugo"
    assert exported["101"]["a"] == "fre"
    coded = exported["100"]["a"]
    assert coded[:8] == "20200101" and coded[8] == "d" and coded[9:13] == "2019" and coded[17] == "a"
    assert exported["995"]["q"] == "j"


def test_record_too_large_for_iso2709_is_trimmed_not_crashing(library):
    source = pymarc.Record(force_utf8=True, leader="     nam  22        450 ")
    source.add_field(pymarc.Field(tag="200", indicators=["1", " "], subfields=[pymarc.Subfield("a", "Très long")]))
    for index in range(12):
        source.add_field(
            pymarc.Field(tag="300", indicators=[" ", " "], subfields=[pymarc.Subfield("a", f"{index} " + "é" * 4000)])
        )
    # Stored as the portal stores any record: the source is under 99 999 bytes, the export adds 995s.
    record = RecordFactory(marc=source.as_marc())
    for index in range(300):
        _lend(record, library, f"BIG-{index:04d}", call_number="X" * 40)
    data = _export(library)
    records = read_with_pymarc(data)
    yaz_dump(data)
    assert all(len(record.as_marc()) <= MAX_RECORD_LENGTH for record in records)
    assert sorted(barcodes_995(records)) == [f"BIG-{index:04d}" for index in range(300)]
    assert all(record["200"]["a"] == "Très long" for record in records)


def test_marcxml_export_is_valid_marc21_slim_with_the_same_records(library):
    record = RecordFactory(title="Ærø", marc=make_marc("Ærø", "Andersen, Hans Christian"))
    _lend(record, library, "XML-1")
    _lend(RecordFactory(title="Œuvres", marc=make_marc("Œuvres", "Rimbaud, Arthur")), library, "XML-2")
    data = b"".join(marcxml_stream(Loan.objects.for_library(library)))
    root = ET.fromstring(data)  # noqa: S314 - the XML is our own output
    assert root.tag == "{http://www.loc.gov/MARC21/slim}collection"
    records = pymarc.parse_xml_to_array(io.BytesIO(data))
    assert sorted(barcodes_995(records)) == ["XML-1", "XML-2"]
    assert {record["200"]["a"] for record in records} == {"Ærø", "Œuvres"}
    yaz_dump(data, input_format="marcxml")


def test_fast_path_for_unimarc_records_gives_the_same_record_as_the_general_path(library):
    from catalogue.marc.iso2709 import build_record, split_record
    from catalogue.marc.unimarc import unimarc_fast, unimarc_fields

    source = pymarc.Record(force_utf8=True, leader="01234nam0 22001211i 450 ")
    source.add_field(
        pymarc.Field(tag="001", data="FAST-1"),
        pymarc.Field(tag="010", indicators=[" ", " "], subfields=[pymarc.Subfield("a", "978-2-07-040922-8")]),
        pymarc.Field(
            tag="100", indicators=[" ", " "], subfields=[pymarc.Subfield("a", "20200101d2019    m  y0frey0103    ba")]
        ),
        pymarc.Field(
            tag="200",
            indicators=["1", " "],
            subfields=[pymarc.Subfield("a", "Œuvres"), pymarc.Subfield("f", "Arthur Rimbaud")],
        ),
    )
    data = source.as_marc()
    item = b"  \x1ffB-FAST"
    fast = unimarc_fast(data, [item])
    leader, fields = unimarc_fields(*split_record(data))
    assert fast == build_record(leader, [*fields, (b"995", item)])
    record = RecordFactory(marc=data)
    _lend(record, library, "B-FAST")
    exported = _export(library)
    yaz_dump(exported)
    parsed = read_with_pymarc(exported)[0]
    assert parsed["100"]["a"] == "20200101d2019    m  y0frey50      ba"
    assert parsed["200"]["a"] == "Œuvres" and parsed["010"]["a"] == "978-2-07-040922-8"
    assert parsed.leader[9] == "a" and barcodes_995([parsed]) == ["B-FAST"]


@pytest.mark.parametrize(
    "name", ["marc21/lc_brkrtest_utf8_8.mrc", "marc21/loc_batch_2.marcxml.xml", "marc21/loc_opera_43.marcxml.xml"]
)
def test_other_real_marc21_files_convert_to_valid_unimarc(library, shared_marc_dir, name):
    path = shared_marc_dir / name
    if name.endswith(".xml"):
        sources = pymarc.parse_xml_to_array(str(path))
    else:
        with path.open("rb") as handle:
            sources = [record for record in pymarc.MARCReader(handle, to_unicode=True, force_utf8=True) if record]
    assert sources
    for index, source in enumerate(sources):
        source.force_utf8 = True
        source.leader = source.leader[:9] + "a" + source.leader[10:]
        record = RecordFactory(flavour=MarcFlavour.MARC21, marc=source.as_marc(), title=(source.title or "?")[:1000])
        _lend(record, library, f"F-{index:03d}")
    data = _export(library)
    records = read_with_pymarc(data)
    yaz_dump(data)
    assert sorted(barcodes_995(records)) == [f"F-{index:03d}" for index in range(len(sources))]
    for exported in records:
        assert exported.get_fields("200") and len(exported["100"]["a"]) == 36


def test_items_of_one_title_spread_over_two_chunks_still_make_one_record(library):
    record = RecordFactory(title="Ærø")
    _lend(record, library, "CH-1")
    _lend(record, library, "CH-2")
    _lend(RecordFactory(title="Œuvres"), library, "CH-3")
    data = b"".join(iso2709_stream(Loan.objects.for_library(library), chunk_size=1))
    records = read_with_pymarc(data)
    assert len(records) == 2
    assert sorted(barcodes_995(records)) == ["CH-1", "CH-2", "CH-3"]


@pytest.mark.django_db(transaction=True)
def test_an_export_stopped_early_leaves_the_connection_usable(library):
    # A download interrupted by the browser closes the generator after a few records: on
    # PostgreSQL the streamed query is then cancelled, and the same connection must serve
    # the next request (autocommit, as in production).
    for index in range(30):
        record = RecordFactory(title=f"Titre {index}")
        _lend(record, library, f"ST-{index:02d}-A")
        _lend(record, library, f"ST-{index:02d}-B")
    stream = iso2709_stream(Loan.objects.for_library(library), chunk_size=2, buffer_bytes=1)
    first = next(stream)
    stream.close()
    assert len(read_with_pymarc(first)) == 1
    assert Loan.objects.for_library(library).count() == 60
    # And a complete export afterwards gives every record once with both of its items.
    records = read_with_pymarc(_export(library))
    assert len(records) == 30
    assert sorted(barcodes_995(records)) == sorted(f"ST-{i:02d}-{c}" for i in range(30) for c in "AB")


def test_an_export_of_no_loans_is_an_empty_file_not_an_error(library):
    # ``.none()`` is what the lists give for invalid filters: PostgreSQL's streamed query
    # cannot even be compiled for it.
    _lend(RecordFactory(title="Présent"), library, "NONE-1")
    assert b"".join(iso2709_stream(Loan.objects.none())) == b""
    xml = b"".join(marcxml_stream(Loan.objects.none()))
    assert ET.fromstring(xml).findall("{http://www.loc.gov/MARC21/slim}record") == []  # noqa: S314 - our own output
    assert b"".join(iso2709_stream(Loan.objects.for_library(library).filter(item__barcode="ABSENT"))) == b""
