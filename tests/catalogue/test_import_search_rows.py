"""``catalogue_record_search`` stays exactly what the records say, whatever writes them.

PostgreSQL keeps the search rows by statement-level triggers (migration 0007): these tests
compare the table with the rows computed from scratch after imports, re-imports, ORM saves,
bulk updates, deletions and TRUNCATE. On SQLite the table is a view of the records, so the
same checks hold trivially.
"""

from __future__ import annotations

import pytest
from django.db import connection

from catalogue.marc.iso2709 import serialise
from catalogue.marc.record import MarcField, MarcRecord
from catalogue.models import Item, Record, RecordSearch
from catalogue.services.imports import marc_import_file
from tests.factories import RecordFactory

pytestmark = pytest.mark.django_db

_EXPECTED_ROWS = """
    SELECT id,
        setweight(to_tsvector('french_unaccent', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('french_unaccent', coalesce(authors_text, '')), 'B') ||
        setweight(to_tsvector('french_unaccent', coalesce(subjects_text, '')), 'C') ||
        setweight(to_tsvector('french_unaccent', concat_ws(' ', series, summary, publisher, isbn)), 'D'),
      document_type, audience, language, publication_year,
      EXISTS (SELECT 1 FROM catalogue_item i WHERE i.record_id = r.id AND i.status = 'available')
    FROM catalogue_record r
"""
_ACTUAL_ROWS = """
    SELECT record_id, search_vector, document_type, audience, language, publication_year, available_now
    FROM catalogue_record_search
"""


def _search_rows_are_exact() -> None:
    """Every record has one search row, equal to the row computed from scratch; no other row."""
    if connection.vendor != "postgresql":
        assert set(RecordSearch.objects.values_list("pk", flat=True)) == set(
            Record.objects.values_list("pk", flat=True)
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(f"({_EXPECTED_ROWS} EXCEPT {_ACTUAL_ROWS}) UNION ALL ({_ACTUAL_ROWS} EXCEPT {_EXPECTED_ROWS})")
        differences = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM catalogue_record_search")
        (count,) = cursor.fetchone()
    assert differences == []
    assert count == Record.objects.count()


def _matches(word: str) -> set[str]:
    """Source ids of the records whose search vector matches ``word`` (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.source_id FROM catalogue_record_search s JOIN catalogue_record r ON r.id = s.record_id "
            "WHERE s.search_vector @@ plainto_tsquery('french_unaccent', %s)",
            [word],
        )
        return {row[0] for row in cursor.fetchall()}


def _unimarc(number: str, title: str, *, barcodes: tuple[str, ...] = (), subject: str = "Baleines") -> bytes:
    fields = [
        MarcField("001", data=number),
        MarcField("200", "1 ", [("a", title)]),
        MarcField("700", " 1", [("a", "Melville"), ("b", "Herman"), ("4", "070")]),
        MarcField("606", "  ", [("a", subject)]),
        MarcField("210", "  ", [("c", "Gallimard"), ("d", "1999")]),
    ]
    fields += [MarcField("995", "  ", [("f", code), ("k", "R MEL")]) for code in barcodes]
    data, _ = serialise(MarcRecord("00000nam  2200000   450 ", fields), flavour="unimarc")
    return data


def test_import_and_reimport_write_exact_search_rows(tmp_path):
    first = tmp_path / "first.mrc"
    first.write_bytes(
        b"".join(_unimarc(f"R{n}", f"Moby Dick tome {n}", barcodes=(f"B{n}",)) for n in range(1, 8))
        + _unimarc("R8", "Bartleby")
    )
    report = marc_import_file(path=first, batch_size=3)
    assert (report.created, report.rejected) == (8, 0)
    _search_rows_are_exact()
    assert RecordSearch.objects.filter(available_now=True).count() == 7

    # Re-import: one title changed, one subject changed, the others identical; a new record.
    second = tmp_path / "second.mrc"
    second.write_bytes(
        _unimarc("R1", "Le grand cachalot", barcodes=("B1",))
        + _unimarc("R2", "Moby Dick tome 2", barcodes=("B2",), subject="Chasse")
        + b"".join(_unimarc(f"R{n}", f"Moby Dick tome {n}", barcodes=(f"B{n}",)) for n in range(3, 8))
        + _unimarc("R8", "Bartleby")
        + _unimarc("R9", "Typee")
    )
    report = marc_import_file(path=second, batch_size=4)
    assert (report.created, report.updated) == (1, 8)
    _search_rows_are_exact()
    if connection.vendor == "postgresql":
        assert _matches("cachalot") == {"R1"}
        assert _matches("chasse") == {"R2"}
        assert "R1" not in _matches("moby")
    assert RecordSearch.objects.filter(available_now=True).count() == 7


def test_orm_writes_keep_search_rows_exact():
    record = RecordFactory(title="Vingt mille lieues sous les mers", source_id="V1")
    other = RecordFactory(title="Le Tour du monde en quatre-vingts jours", source_id="V2")
    Item.objects.create(record=record, barcode="X1")
    _search_rows_are_exact()

    record.title = "L'Île mystérieuse"
    record.save()
    other.save()  # nothing changed
    _search_rows_are_exact()

    Record.objects.filter(pk=other.pk).update(summary="Phileas Fogg parie sa fortune")
    Record.objects.update(language="fre", publication_year=1870)  # several rows in one statement
    Record.objects.filter(pk=record.pk).update(marc=b"")  # a column the search does not read
    _search_rows_are_exact()
    if connection.vendor == "postgresql":
        assert _matches("fogg") == {"V2"}
        assert _matches("mysterieuse") == {"V1"}
    assert RecordSearch.objects.get(pk=record.pk).available_now

    Record.objects.bulk_create(
        [Record(source_id=f"W{n}", flavour="unimarc", marc=b"", title=f"W{n}") for n in range(3)]
    )
    _search_rows_are_exact()

    Item.objects.all().delete()
    Record.objects.filter(source_id__startswith="W").delete()
    other.delete()
    _search_rows_are_exact()
    assert RecordSearch.objects.count() == 1


def test_an_update_recreates_a_missing_search_row():
    record = RecordFactory(title="Michel Strogoff")
    if connection.vendor != "postgresql":
        pytest.skip("SQLite: the search rows are a view")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM catalogue_record_search WHERE record_id = %s", [record.pk])
    record.save()  # same values
    _search_rows_are_exact()


@pytest.mark.django_db(transaction=True)
def test_truncate_and_import_again(tmp_path):
    path = tmp_path / "file.mrc"
    path.write_bytes(_unimarc("T1", "Le Rouge et le Noir", barcodes=("C1",)) + _unimarc("T2", "La Chartreuse"))
    marc_import_file(path=path)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE catalogue_recordsubject, catalogue_recordauthor, catalogue_item, catalogue_record CASCADE"
            )
        assert RecordSearch.objects.count() == 0
    else:
        Item.objects.all().delete()
        Record.objects.all().delete()
    marc_import_file(path=path)
    _search_rows_are_exact()
    assert RecordSearch.objects.filter(available_now=True).count() == 1
