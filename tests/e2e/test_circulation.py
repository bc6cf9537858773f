"""Issue 16 in a real browser: a Gestionnaire reserves, BDVO staff lend the item at the desk,
the library sees « Livrée »; a Gestionnaire renews a loan from « Prêts en cours » — with
JavaScript and without."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalogue.models import Item, LoanRenewal, Reservation
from tests.factories import ItemFactory, LoanFactory, RecordFactory

pytestmark = pytest.mark.browser
JS_AND_NOJS = pytest.mark.parametrize("any_page", ["js", "nojs"], indirect=True)


def _reservation_row(page, title: str):
    return page.get_by_role("table").get_by_role("row").filter(has_text=title)


@JS_AND_NOJS
def test_reserve_then_staff_lend_then_the_library_sees_delivered(any_page, url, log_in, manager, admin_user):
    page = any_page
    item = ItemFactory(record=RecordFactory(title="Le Petit Prince"), barcode="VDO000000201")
    log_in(page, manager)
    page.goto(url(f"/catalogue/notice/{item.record_id}/"))
    page.get_by_role("link", name="Réserver").click()
    # With JavaScript a dialog asks, without it a page: the same button confirms.
    page.get_by_role("button", name="Réserver").click()
    expect(page.get_by_role("status")).to_have_text("Votre demande de réservation a bien été enregistrée")
    page.goto(url("/espace-pro/reservations/"))
    # The copy was on the shelf: it is set aside for the next navette.
    expect(_reservation_row(page, "Le Petit Prince")).to_contain_text("Mise de côté")

    log_in(page, admin_user)  # the BDVO's lending desk, in the same browser
    page.goto(url("/personnel/prets/"))
    page.get_by_label("Bibliothèque emprunteuse").select_option(label=str(manager.library))
    page.get_by_label("Code-barres").fill("VDO000000201")
    page.get_by_role("button", name="Prêter").click()
    expect(page.get_by_role("list").filter(has_text="VDO000000201")).to_contain_text("livrée")

    log_in(page, manager)
    page.goto(url("/espace-pro/reservations/"))
    row = _reservation_row(page, "Le Petit Prince")
    expect(row).to_contain_text("Livrée")
    expect(row).to_contain_text(f"Prêtée le {timezone.localdate():%d/%m/%Y}")
    reservation = Reservation.objects.for_library(manager.library).get()
    assert reservation.status == Reservation.Status.FULFILLED and reservation.loan is not None


@JS_AND_NOJS
def test_renew_a_loan_from_the_list(any_page, url, log_in, manager):
    page = any_page
    today = timezone.localdate()
    due = today + datetime.timedelta(days=10)
    item = ItemFactory(record=RecordFactory(title="Vol de nuit"), barcode="VDO000000301", status=Item.Status.ON_LOAN)
    loan = LoanFactory(item=item, library=manager.library, loaned_on=today - datetime.timedelta(days=110), due_on=due)
    log_in(page, manager)
    page.goto(url("/espace-pro/prets/"))
    page.get_by_role("checkbox", name="Sélectionner VDO000000301").check()
    page.get_by_role("button", name="Demander une prolongation").click()
    new_due = due + datetime.timedelta(days=60)
    expect(page.get_by_role("heading", level=1)).to_have_text("Demander une prolongation ?")
    expect(page.get_by_role("table")).to_contain_text(f"Retour repoussé au {new_due:%d/%m/%Y}.")
    expect(page.get_by_role("dialog", name="Export lancé")).to_have_count(0)
    page.get_by_role("button", name="Demander la prolongation").click()
    expect(
        page.get_by_text(f"« Vol de nuit » (VDO000000301) : prolongé, retour prévu le {new_due:%d/%m/%Y}.")
    ).to_be_visible()
    row = page.get_by_role("table").get_by_role("row").filter(has_text="VDO000000301")
    expect(row).to_contain_text(f"{new_due:%d/%m/%Y}")
    expect(row).to_contain_text("Prolongé")
    loan.refresh_from_db()
    assert loan.due_on == new_due and LoanRenewal.objects.for_library(manager.library).get().status == "granted"
