"""The import service and the ``import_marc`` command, on real files and on crafted ones."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection

from catalogue.marc.iso2709 import serialise
from catalogue.marc.reading import MAX_RECORD_SIZE
from catalogue.marc.record import MarcField, MarcRecord
from catalogue.models import Item, Loan, Record, RecordAuthor, RecordSubject
from catalogue.services.imports import ImportFileError, marc_import_file

pytestmark = pytest.mark.django_db


def _unimarc(number: str, title: str, barcodes: list[str], author: str = "Hugo") -> bytes:
    fields = [MarcField("001", data=number)] if number else []
    if title:
        fields.append(MarcField("200", "1 ", [("a", title)]))
    else:
        fields.append(MarcField("210", "  ", [("c", "Sans titre")]))
    fields.append(MarcField("700", " 1", [("a", author), ("4", "070")]))
    fields.append(MarcField("606", "  ", [("a", f"Sujet de {title or 'rien'}")]))
    fields += [MarcField("995", "  ", [("f", code), ("k", "R HUG")]) for code in barcodes]
    data, _ = serialise(MarcRecord("00000nam  2200000   450 ", fields), flavour="unimarc")
    return data


def _write(tmp_path, *records: bytes, name: str = "file.mrc"):
    path = tmp_path / name
    path.write_bytes(b"".join(records))
    return path


def test_sciencespo_995_file_imports_205_records_and_their_items(shared_marc_dir):
    report = marc_import_file(path=shared_marc_dir / "unimarc" / "fr_sciencespo_monographs_995_205.mrc")
    assert (report.read, report.rejected) == (205, 0)
    assert report.created + report.updated == 205
    # Two records without 001 are byte-identical: they share one computed key.
    assert Record.objects.count() == 204
    # 259 995 fields: 2 without barcode, 4 repeated by the duplicated record.
    assert Item.objects.count() == 252
    assert Item.objects.filter(call_number__contains="8°").exists()
    assert not Item.objects.filter(call_number__contains="Â").exists()
    record = Record.objects.exclude(source_id__startswith="calc:").first()
    assert record.as_pymarc()["200"]["a"]
    assert record.authors_text and record.authors.exists()


def test_reimport_updates_in_place(shared_marc_dir):
    path = shared_marc_dir / "unimarc" / "fr_sciencespo_monographs_995_205.mrc"
    marc_import_file(path=path)
    ids = set(Record.objects.values_list("id", flat=True))
    counts = (RecordAuthor.objects.count(), RecordSubject.objects.count(), Item.objects.count())
    report = marc_import_file(path=path, batch_size=50)
    assert (report.created, report.updated, report.rejected) == (0, 205, 0)
    assert set(Record.objects.values_list("id", flat=True)) == ids
    assert (RecordAuthor.objects.count(), RecordSubject.objects.count(), Item.objects.count()) == counts


def test_parallel_import_gives_the_same_result(shared_marc_dir):
    path = shared_marc_dir / "unimarc" / "fr_sciencespo_monographs_995_205.mrc"
    report = marc_import_file(path=path, workers=2)
    assert (report.read, report.created + report.updated, report.rejected) == (205, 205, 0)
    parallel = list(Record.objects.order_by("source_id").values_list("source_id", "title", "authors_text", "marc"))
    Record.objects.all().delete()
    marc_import_file(path=path, workers=1)
    sequential = list(Record.objects.order_by("source_id").values_list("source_id", "title", "authors_text", "marc"))
    assert [(*row[:3], bytes(row[3])) for row in parallel] == [(*row[:3], bytes(row[3])) for row in sequential]


@pytest.mark.parametrize("workers", [1, 2])
def test_bytes_without_terminator_cost_one_rejection_and_keep_the_records_around(tmp_path, workers):
    lost = b"00000nam  2200000   450 001" + b"0123456789\x1e" * (MAX_RECORD_SIZE // 11 + 1)
    path = _write(
        tmp_path,
        _unimarc("A1", "Avant", ["B1"]),
        lost,  # the record right after it is glued to it: it is found again by its leader
        _unimarc("A2", "Collée", ["B2"]),
        _unimarc("A3", "Après", ["B3"]),
    )
    report = marc_import_file(path=path, workers=workers)
    assert (report.read, report.created, report.rejected) == (4, 3, 1)
    (line,) = report.rejections
    assert (line.position, line.offset) == (2, len(_unimarc("A1", "Avant", ["B1"])))
    assert "Fin de notice (caractère 0x1D) absente" in line.message
    assert set(Record.objects.values_list("source_id", flat=True)) == {"A1", "A2", "A3"}
    assert set(Item.objects.values_list("barcode", flat=True)) == {"B1", "B2", "B3"}


def test_loc_sample_imports_10000_records(shared_marc_dir):
    report = marc_import_file(
        path=shared_marc_dir / "marc21" / "loc_booksall2016_part01_first10000_utf8.mrc", batch_size=5000
    )
    assert (report.read, report.created, report.rejected) == (10000, 10000, 0)
    assert Record.objects.filter(flavour="marc21").count() == 10000


def test_every_broken_and_odd_file_goes_through(shared_marc_dir):
    files = sorted((shared_marc_dir / "broken").iterdir()) + sorted((shared_marc_dir / "odd").iterdir())
    assert len(files) >= 30
    for path in files:
        report = marc_import_file(path=path)
        assert report.read == report.created + report.updated + report.rejected, path.name
        for line in report.rejections:
            assert line.position >= 1 and line.message, path.name
    # A few expectations from SOURCES.md:
    truncated = marc_import_file(path=shared_marc_dir / "broken" / "truncated_at_64KiB_008008027.mrc")
    assert (truncated.read - truncated.rejected, truncated.rejected) == (18, 1)
    assert "tronquée" in truncated.rejections[0].message and truncated.rejections[0].position == 19
    intermarc = marc_import_file(path=shared_marc_dir / "odd" / "fr_bnf_hachette_INTERMARC_73.iso2709")
    assert intermarc.rejected == 73
    assert intermarc.rejections[0].control_number.startswith("FRBNF")
    oversize = marc_import_file(path=shared_marc_dir / "broken" / "bad_hathi_oversize_records.mrc")
    assert oversize.rejected == 0
    assert any("trop longue pour ISO 2709" in line.message for line in oversize.lines)
    for record in Record.objects.filter(source_id__in=[line.control_number for line in oversize.lines]):
        assert len(bytes(record.marc)) <= 99_999 and record.as_pymarc().title
    bad_xml = marc_import_file(path=shared_marc_dir / "broken" / "rubymarc_three_records_second_bad.marcxml.xml")
    assert bad_xml.rejected == 1 and "XML" in bad_xml.rejections[0].message


def test_mixed_flavours_in_one_file(shared_marc_dir):
    report = marc_import_file(path=shared_marc_dir / "odd" / "mixed_marc21_unimarc_pride_and_prejudice_383.mrc")
    assert (report.read, report.rejected) == (383, 0)
    assert report.created + report.updated == 383
    # 17 UNIMARC records, two of which share their 001 (records of several libraries).
    assert Record.objects.filter(flavour="unimarc").count() == 16


def test_rejected_record_leaves_nothing_behind(tmp_path):
    path = _write(
        tmp_path, _unimarc("A1", "Premier", ["B1"]), _unimarc("A2", "", ["B2"]), _unimarc("A3", "Troisième", ["B3"])
    )
    report = marc_import_file(path=path)
    assert (report.read, report.created, report.rejected) == (3, 2, 1)
    (line,) = report.rejections
    assert (line.position, line.control_number) == (2, "A2")
    assert "Titre absent" in line.message
    assert not Record.objects.filter(source_id="A2").exists()
    assert not Item.objects.filter(barcode="B2").exists()
    assert set(Record.objects.values_list("source_id", flat=True)) == {"A1", "A3"}


def test_reimport_replaces_items_authors_subjects_and_keeps_loaned_items(tmp_path, library):
    marc_import_file(path=_write(tmp_path, _unimarc("A1", "Les Misérables", ["B1", "B2", "B3"])))
    record = Record.objects.get(source_id="A1")
    loaned = Item.objects.get(barcode="B3")
    Loan.objects.create(
        item=loaned, library=library, loaned_on=datetime.date(2026, 1, 5), due_on=datetime.date(2026, 3, 5)
    )
    Item.objects.filter(barcode="B1").update(status=Item.Status.ON_LOAN)

    report = marc_import_file(
        path=_write(
            tmp_path,
            _unimarc("A1", "Les Misérables (nouvelle édition)", ["B1", "B4"], author="Victor Hugo"),
            name="v2.mrc",
        )
    )
    assert (report.created, report.updated) == (0, 1)
    record.refresh_from_db()
    assert record.title == "Les Misérables (nouvelle édition)"
    assert list(record.authors.values_list("name", flat=True)) == ["Victor Hugo"]
    assert record.subjects.count() == 1
    assert set(record.items.values_list("barcode", flat=True)) == {"B1", "B3", "B4"}  # B2 gone, B3 has a loan
    assert Item.objects.get(barcode="B1").status == Item.Status.ON_LOAN  # status is the portal's, not the file's


def test_barcode_of_another_record_is_not_stolen(tmp_path):
    marc_import_file(path=_write(tmp_path, _unimarc("A1", "Un", ["B1"])))
    report = marc_import_file(path=_write(tmp_path, _unimarc("A2", "Deux", ["B1", "B2"]), name="b.mrc"))
    assert report.rejected == 0
    assert Item.objects.get(barcode="B1").record.source_id == "A1"
    assert any("B1" in line.message for line in report.lines)


def test_unknown_options_and_missing_file(tmp_path):
    with pytest.raises(ImportFileError):
        marc_import_file(path=tmp_path / "absent.mrc")
    with pytest.raises(ImportFileError):
        marc_import_file(path=_write(tmp_path, _unimarc("A1", "Un", [])), encoding="ebcdic")
    with pytest.raises(ImportFileError, match="position de reprise"):
        marc_import_file(path=_write(tmp_path, _unimarc("A1", "Un", [])), resume_after=-1)


def test_resume_after_skips_the_records_up_to_that_position_and_counts_batches(tmp_path):
    path = _write(tmp_path, *(_unimarc(f"R{number}", f"Titre {number}", []) for number in range(1, 6)))
    report = marc_import_file(path=path, resume_after=2, batch_size=2)
    assert (report.read, report.created, report.batches, report.last_position) == (3, 3, 2, 5)
    assert set(Record.objects.values_list("source_id", flat=True)) == {"R3", "R4", "R5"}


def test_command_prints_summary_and_rejections_and_writes_csv(tmp_path):
    path = _write(tmp_path, _unimarc("A1", "Premier", ["B1"]), _unimarc("A2", "", []))
    report_path = tmp_path / "rapport.csv"
    out = io.StringIO()
    call_command(
        "import_marc", str(path), "--report", str(report_path), "--batch-size", "1", stdout=out, stderr=io.StringIO()
    )
    text = out.getvalue()
    assert "2 notices lues, 1 créées, 0 mises à jour, 1 rejetées" in text
    assert "n° 2\tA2\tTitre absent" in text
    rows = list(csv.reader(report_path.open(encoding="utf-8-sig"), delimiter=";"))
    assert rows[0] == ["fichier", "position", "octet", "001", "niveau", "message"]
    assert rows[1][1:5] == ["2", rows[1][2], "A2", "rejet"]


def test_command_with_overrides(shared_marc_dir):
    out = io.StringIO()
    call_command(
        "import_marc",
        str(shared_marc_dir / "unimarc" / "fr_sciencespo_monographs_995_59_ISO5426_DERIVED.mrc"),
        "--flavour",
        "unimarc",
        "--encoding",
        "iso5426",
        "--no-progress",
        stdout=out,
    )
    assert "59 notices lues" in out.getvalue()
    assert Record.objects.filter(title__contains="é").exists()


def test_demo_catalogue_is_idempotent():
    from catalogue import demo

    out = io.StringIO()
    demo.load(out)
    counts = (Record.objects.count(), Item.objects.count(), RecordAuthor.objects.count())
    assert counts[0] >= 300 and counts[1] > counts[0]
    assert set(Record.objects.values_list("document_type", flat=True)) >= {
        "book",
        "comic",
        "audio",
        "video",
        "game",
        "periodical",
    }
    demo.load(out)
    assert (Record.objects.count(), Item.objects.count(), RecordAuthor.objects.count()) == counts
    assert "mises à jour" in out.getvalue()


def test_reimport_leaves_unchanged_records_alone(tmp_path):
    path = _write(tmp_path, _unimarc("A1", "Un", ["B1"]), _unimarc("A2", "Deux", ["B2"]))
    marc_import_file(path=path)
    before = dict(Record.objects.values_list("source_id", "updated_at"))
    rows = (
        set(RecordAuthor.objects.values_list("id", "record_id", "name")),
        set(RecordSubject.objects.values_list("id", "record_id", "label")),
    )
    changed = _write(tmp_path, _unimarc("A1", "Un", ["B1"]), _unimarc("A2", "Deux bis", ["B2"]), name="v2.mrc")
    report = marc_import_file(path=changed)
    assert (report.created, report.updated) == (0, 2)
    after = dict(Record.objects.values_list("source_id", "updated_at"))
    assert after["A1"] == before["A1"] and after["A2"] > before["A2"]
    assert Record.objects.get(source_id="A2").title == "Deux bis"
    if connection.vendor == "postgresql":  # rows replaced only where they differ
        assert set(RecordAuthor.objects.values_list("id", "record_id", "name")) == rows[0]
        unchanged = {row for row in rows[1] if row[2] == "Sujet de Un"}
        assert unchanged <= set(RecordSubject.objects.values_list("id", "record_id", "label"))
    assert RecordSubject.objects.get(record__source_id="A2").label == "Sujet de Deux bis"


def test_reimport_removes_duplicate_subjects_made_by_hand(tmp_path):
    path = _write(tmp_path, _unimarc("A1", "Un", []))
    marc_import_file(path=path)
    record = Record.objects.get(source_id="A1")
    RecordSubject.objects.create(record=record, label="Sujet de Un")
    RecordSubject.objects.create(record=record, label="Ajout manuel")
    marc_import_file(path=path)
    assert list(record.subjects.values_list("label", flat=True)) == ["Sujet de Un"]
