"""Migration 0012: reservations « Disponible » of the former workflow become « Mise de côté »
(without item nor navette date), and back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import LibraryFactory

BEFORE = [("catalogue", "0011_export_profiles")]
AFTER = [("catalogue", "0012_reservation_circulation_renewals")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_available_reservations_become_set_aside_and_back():
    library = LibraryFactory()  # the libraries' table is not migrated here
    apps = _migrate(BEFORE)
    Record = apps.get_model("catalogue", "Record")
    Reservation = apps.get_model("catalogue", "Reservation")
    changed_at = timezone.now()
    statuses = ["pending", "available", "fulfilled", "cancelled"]
    for index, status in enumerate(statuses):
        record = Record.objects.create(source_id=f"MIG{index}", flavour="unimarc", marc=b"", title=f"Titre {index}")
        Reservation.objects.create(record=record, library_id=library.pk, status=status, status_changed_at=changed_at)

    apps = _migrate(AFTER)
    Reservation = apps.get_model("catalogue", "Reservation")
    rows = {row.record.title: row for row in Reservation.objects.select_related("record")}
    assert [rows[f"Titre {index}"].status for index in range(4)] == ["pending", "set_aside", "fulfilled", "cancelled"]
    set_aside = rows["Titre 1"]
    assert (set_aside.item_id, set_aside.delivery_on, set_aside.set_aside_at) == (None, None, changed_at)

    apps = _migrate(BEFORE)
    Reservation = apps.get_model("catalogue", "Reservation")
    assert sorted(Reservation.objects.values_list("status", flat=True)) == sorted(statuses)
    # Back to the latest schema (later migrations included) for the tests that follow.
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
