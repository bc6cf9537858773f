"""Loan and return services: refusals in French, item status kept in sync."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from catalogue.models import Item, Loan
from catalogue.services.loans import default_due_on, loan_create, loan_return
from tests.factories import ItemFactory, LoanFactory

pytestmark = pytest.mark.django_db


def test_loan_marks_item_on_loan_with_default_due_date(library, admin_user):
    item = ItemFactory(barcode="B-1")
    loan = loan_create(library=library, barcode=" B-1 ", by=admin_user)
    item.refresh_from_db()
    assert item.status == Item.Status.ON_LOAN
    assert loan.library == library and loan.created_by == admin_user
    assert loan.loaned_on == timezone.localdate()
    assert loan.due_on == loan.loaned_on + datetime.timedelta(days=120)


def test_default_loan_length_is_configurable(settings):
    settings.LOAN_DEFAULT_DAYS = 30
    assert default_due_on(datetime.date(2026, 1, 1)) == datetime.date(2026, 1, 31)


def test_unknown_barcode_is_refused(library, admin_user):
    with pytest.raises(ValidationError, match="Code-barres inconnu : NOPE"):
        loan_create(library=library, barcode="NOPE", by=admin_user)


def test_item_already_on_loan_names_the_library(library, other_library, admin_user):
    ItemFactory(barcode="B-2")
    loan_create(library=other_library, barcode="B-2", by=admin_user)
    with pytest.raises(ValidationError, match="déjà en prêt à Médiathèque de Goussainville"):
        loan_create(library=library, barcode="B-2", by=admin_user)
    assert Loan.objects.all_libraries().count() == 1


@pytest.mark.parametrize("status", [Item.Status.LOST, Item.Status.WITHDRAWN])
def test_lost_or_withdrawn_item_is_refused(library, admin_user, status):
    ItemFactory(barcode="B-3", status=status)
    with pytest.raises(ValidationError, match="ne peut pas être prêté"):
        loan_create(library=library, barcode="B-3", by=admin_user)


def test_inactive_library_is_refused(library, admin_user):
    ItemFactory(barcode="B-4")
    library.is_active = False
    library.save()
    with pytest.raises(ValidationError, match="inactive"):
        loan_create(library=library, barcode="B-4", by=admin_user)


def test_due_date_before_loan_date_is_refused(library, admin_user):
    ItemFactory(barcode="B-5")
    with pytest.raises(ValidationError, match="doit suivre"):
        loan_create(
            library=library,
            barcode="B-5",
            loaned_on=datetime.date(2026, 5, 1),
            due_on=datetime.date(2026, 4, 1),
            by=admin_user,
        )


def test_return_makes_item_available_and_allows_a_new_loan(library, other_library, admin_user):
    item = ItemFactory(barcode="B-6")
    loan_create(library=library, barcode="B-6", loaned_on=datetime.date(2026, 1, 5), by=admin_user)
    loan = loan_return(barcode="B-6", returned_on=datetime.date(2026, 3, 1), by=admin_user)
    item.refresh_from_db()
    assert loan.returned_on == datetime.date(2026, 3, 1)
    assert item.status == Item.Status.AVAILABLE
    loan_create(library=other_library, barcode="B-6", by=admin_user)
    assert Loan.objects.all_libraries().filter(item=item).count() == 2


def test_return_without_loan_in_progress_is_refused(admin_user):
    ItemFactory(barcode="B-7")
    with pytest.raises(ValidationError, match="Pas de prêt en cours pour le code-barres B-7"):
        loan_return(barcode="B-7", by=admin_user)
    with pytest.raises(ValidationError, match="Code-barres inconnu"):
        loan_return(barcode="ZZZ", by=admin_user)


def test_return_before_loan_date_is_refused(library, admin_user):
    ItemFactory(barcode="B-8")
    loan_create(library=library, barcode="B-8", loaned_on=datetime.date(2026, 5, 1), by=admin_user)
    with pytest.raises(ValidationError, match="précéder"):
        loan_return(barcode="B-8", returned_on=datetime.date(2026, 4, 1), by=admin_user)


def test_database_refuses_two_loans_in_progress_of_one_item(library, other_library):
    loan = LoanFactory(library=library)
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(item=loan.item, library=other_library, loaned_on=loan.loaned_on, due_on=loan.due_on)


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="row locks between connections: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_scans_of_one_barcode_lend_it_once(library, other_library):
    ItemFactory(barcode="B-9")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def scan(target):
        barrier.wait()
        try:
            loan_create(library=target, barcode="B-9", by=None)
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        else:
            outcomes.append("ok")
        finally:
            connection.close()

    threads = [threading.Thread(target=scan, args=(target,)) for target in (library, other_library)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    assert any("déjà en prêt" in outcome for outcome in outcomes)
    assert Loan.objects.all_libraries().filter(item__barcode="B-9", returned_on__isnull=True).count() == 1


def test_demo_loans_are_idempotent_and_say_when_the_catalogue_is_empty(library, other_library):
    import io

    from catalogue import demo_loans

    library.code, other_library.code = "VDO-MARINES", "VDO-GOUSSAINVILLE"
    library.save()
    other_library.save()
    out = io.StringIO()
    demo_loans.load(out)
    assert "catalogue de démonstration vide" in out.getvalue()
    for index in range(40):
        ItemFactory(barcode=f"DEMO-{index:03d}")
    demo_loans.load(io.StringIO())
    count = Loan.objects.all_libraries().count()
    assert count == 40
    assert Loan.objects.all_libraries().returned().exists() and Loan.objects.all_libraries().in_progress().exists()
    assert Loan.objects.all_libraries().values("loaned_on").distinct().count() > 3
    demo_loans.load(io.StringIO())
    assert Loan.objects.all_libraries().count() == count


def test_demo_reservations_in_every_state_then_idempotent():
    import io

    from catalogue import demo, demo_loans, demo_reservations
    from catalogue.models import LoanRenewal, Reservation
    from extranet import demo as extranet_demo

    out = io.StringIO()
    demo_reservations.load(out)
    assert "Gestionnaires de démonstration absents" in out.getvalue()
    for loader in (extranet_demo, demo, demo_loans, demo_reservations):
        loader.load(out)
    reservations = Reservation.objects.all_libraries()
    assert set(reservations.values_list("status", flat=True)) == set(Reservation.Status.values)
    waiting = reservations.with_queue_rank().filter(status=Reservation.Status.PENDING)
    assert sorted(waiting.values_list("queue_rank", flat=True)) == [1, 2]
    assert reservations.filter(status=Reservation.Status.SET_ASIDE, item__isnull=False).count() == 2
    assert Loan.objects.all_libraries().overdue(timezone.localdate()).exists()
    assert LoanRenewal.objects.all_libraries().filter(status=LoanRenewal.Status.GRANTED).count() == 1
    assert "prêts en retard, 1 prêt prolongé" in out.getvalue()
    count = reservations.count()
    demo_reservations.load(out)
    assert Reservation.objects.all_libraries().count() == count and "déjà présentes" in out.getvalue()
