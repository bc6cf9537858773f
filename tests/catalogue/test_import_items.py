"""Items on re-import: changed ones updated, unchanged ones left alone, moves within a file kept."""

from __future__ import annotations

import pytest

from catalogue.marc.iso2709 import serialise
from catalogue.marc.record import MarcField, MarcRecord
from catalogue.models import Item, Record, RecordSearch
from catalogue.services.imports import marc_import_file

pytestmark = pytest.mark.django_db


def _record(number: str, title: str, items: list[tuple[str, str]]) -> bytes:
    """A UNIMARC record with ``items`` as ``(barcode, call number)`` in 995."""
    fields = [MarcField("001", data=number), MarcField("200", "1 ", [("a", title)])]
    fields += [MarcField("995", "  ", [("f", barcode), ("k", call), ("r", "BD")]) for barcode, call in items]
    data, _ = serialise(MarcRecord("00000nam  2200000   450 ", fields), flavour="unimarc")
    return data


def _items() -> dict[str, tuple[str, str, str]]:
    return {
        item.barcode: (item.record.source_id, item.call_number, item.document_type)
        for item in Item.objects.select_related("record")
    }


def test_reimport_updates_changed_items_and_moves_them_between_records_of_the_file(tmp_path):
    first = tmp_path / "first.mrc"
    first.write_bytes(
        _record("A1", "Astérix le Gaulois", [("B1", "BD GOS 1")])
        + _record("A2", "La Serpe d'or", [("B2", "BD GOS 2"), ("B3", "BD GOS 2")])
    )
    marc_import_file(path=first)
    unchanged_item = Item.objects.get(barcode="B1")

    second = tmp_path / "second.mrc"
    second.write_bytes(
        _record("A1", "Astérix le Gaulois", [("B1", "BD GOS 1"), ("B3", "BD GOS 2")])  # B3 moves to A1
        + _record("A2", "La Serpe d'or", [("B2", "BD GOS 2 bis")])  # call number changed
    )
    report = marc_import_file(path=second, batch_size=10)
    assert (report.created, report.updated, report.rejected) == (0, 2, 0)
    assert _items() == {
        "B1": ("A1", "BD GOS 1", "comic"),
        "B2": ("A2", "BD GOS 2 bis", "comic"),
        "B3": ("A1", "BD GOS 2", "comic"),
    }
    assert Item.objects.get(barcode="B1").pk == unchanged_item.pk
    assert set(RecordSearch.objects.filter(available_now=True).values_list("record__source_id", flat=True)) == {
        "A1",
        "A2",
    }

    # The same file again changes nothing.
    report = marc_import_file(path=second)
    assert (report.created, report.updated) == (0, 2)
    assert _items()["B2"] == ("A2", "BD GOS 2 bis", "comic")
    assert Record.objects.count() == 2
