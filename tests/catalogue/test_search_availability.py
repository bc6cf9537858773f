"""The search row's ``available_now`` follows the items (migration 0005), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from catalogue.models import Item, RecordSearch
from catalogue.services.loans import loan_create, loan_return
from tests.catalogue.factories import AVAILABLE, ON_LOAN, make_record
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def _available_now(record) -> bool:
    return RecordSearch.objects.get(pk=record.pk).available_now


def _available_titles(client) -> set[str]:
    response = client.get(reverse("search"), {"q": "roman", "available": "1"})
    return {record.title for record in response.context["results"].page.object_list}


def test_flag_follows_a_loan_and_its_return(client, library, admin_user):
    record = make_record("Roman de la forêt")
    assert not _available_now(record)
    ItemFactory(record=record, barcode="B-FOREST", status=AVAILABLE)
    assert _available_now(record)
    assert _available_titles(client) == {"Roman de la forêt"}

    loan_create(library=library, barcode="B-FOREST", by=admin_user)
    assert not _available_now(record)
    assert _available_titles(client) == set()

    loan_return(barcode="B-FOREST", by=admin_user)
    assert _available_now(record)
    assert _available_titles(client) == {"Roman de la forêt"}


def test_flag_follows_status_changes_moves_and_deletions_of_items():
    first = make_record("Roman premier", items=[ON_LOAN])
    second = make_record("Roman second")
    assert not _available_now(first)

    Item.objects.filter(record=first).update(status=AVAILABLE)
    assert _available_now(first)

    Item.objects.filter(record=first).update(record=second)  # barcode moved by a re-import
    assert not _available_now(first) and _available_now(second)

    ItemFactory(record=second, status=ON_LOAN)
    Item.objects.filter(record=second, status=AVAILABLE).delete()
    assert not _available_now(second)


def test_flag_of_a_record_with_several_items():
    record = make_record("Roman à deux exemplaires", items=[AVAILABLE, AVAILABLE])
    items = list(Item.objects.filter(record=record))
    Item.objects.filter(pk=items[0].pk).update(status=ON_LOAN)
    assert _available_now(record)
    Item.objects.filter(pk=items[1].pk).update(status=Item.Status.LOST)
    assert not _available_now(record)


def test_reimporting_a_record_keeps_its_flag():
    record = make_record("Roman réimporté", items=[AVAILABLE])
    type(record).objects.filter(pk=record.pk).update(title="Roman réimporté, nouvelle édition")
    assert _available_now(record)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_loans_of_the_last_two_items_leave_no_available_flag():
    record = make_record("Roman disputé", items=[AVAILABLE, AVAILABLE])
    first, second = Item.objects.filter(record=record).order_by("pk").values_list("pk", flat=True)
    first_updated = threading.Event()
    errors: list[BaseException] = []

    def lend_first() -> None:
        try:
            with transaction.atomic():
                Item.objects.filter(pk=first).update(status=ON_LOAN)
                first_updated.set()
                time.sleep(0.3)  # the other loan runs its trigger before this one commits
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=lend_first)
    thread.start()
    assert first_updated.wait(5)
    with transaction.atomic():
        Item.objects.filter(pk=second).update(status=ON_LOAN)
    thread.join()
    assert errors == []
    assert not _available_now(record)
    connection.close()
