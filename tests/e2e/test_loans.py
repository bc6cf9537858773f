"""Journey 6 of DESIGN.md in a real browser: filter « Prêts en cours » by a loan date, select,
export ISO 2709 and read the downloaded file as the library's SIGB would (UNIMARC, 995)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pymarc
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import ItemFactory, LoanFactory, RecordFactory

pytestmark = pytest.mark.browser
JS_AND_NOJS = pytest.mark.parametrize("any_page", ["js", "nojs"], indirect=True)


@pytest.fixture
def loans(manager, other_library) -> dict[str, object]:
    today = timezone.localdate()
    shuttle_day = today - datetime.timedelta(days=12)

    def lend(barcode: str, title: str, day: datetime.date, library=None) -> object:
        item = ItemFactory(barcode=barcode, record=RecordFactory(title=title), call_number="R SAI", status="on_loan")
        return LoanFactory(item=item, library=library or manager.library, loaned_on=day)

    return {
        "day": shuttle_day,
        "wanted": [
            lend("VDO000000101", "Le Petit Prince", shuttle_day),
            lend("VDO000000102", "Vol de nuit", shuttle_day),
        ],
        "other_day": lend("VDO000000103", "Courrier sud", today - datetime.timedelta(days=40)),
        "other_library": lend("VDO000000104", "Pilote de guerre", shuttle_day, library=other_library),
    }


def _barcodes(path: Path) -> list[str]:
    with path.open("rb") as handle:
        records = list(pymarc.MARCReader(handle, to_unicode=True, force_utf8=True))
    assert all(record is not None for record in records), "pymarc could not read every record"
    return sorted(field.get_subfields("f")[0] for record in records for field in record.get_fields("995"))


@JS_AND_NOJS
def test_filter_by_loan_date_select_and_export_iso2709(any_page, url, log_in, manager, loans, tmp_path):
    page = any_page
    log_in(page, manager)
    page.goto(url("/espace-pro/"))
    page.get_by_role("navigation", name="Espace professionnel").get_by_role("link", name="Prêts en cours").click()
    page.get_by_label("Date de prêt", exact=True).fill(loans["day"].isoformat())
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("2 lignes correspondent aux filtres.")).to_be_visible()
    table = page.get_by_role("table")
    expect(table).not_to_contain_text("VDO000000103")
    table.get_by_role("checkbox", name="Sélectionner VDO000000101").check()
    table.get_by_role("checkbox", name="Sélectionner VDO000000102").check()
    page.get_by_label("Format").select_option(label="ISO 2709 (UNIMARC)")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Exporter").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".mrc")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert _barcodes(saved) == ["VDO000000101", "VDO000000102"]


def test_select_all_then_export_every_filtered_loan(page, url, log_in, manager, loans, tmp_path):
    log_in(page, manager)
    page.goto(url("/espace-pro/prets/"))
    page.get_by_label("Date de prêt", exact=True).fill(loans["day"].isoformat())
    page.get_by_role("button", name="Filtrer").click()
    # The unfiltered list has the same checkbox: wait for the filtered page before ticking it.
    expect(page.get_by_text("2 lignes correspondent aux filtres.")).to_be_visible()
    page.get_by_role("checkbox", name="Tout sélectionner sur cette page").check()
    expect(page.get_by_role("checkbox", name="Sélectionner VDO000000102")).to_be_checked()
    page.get_by_label("Format").select_option(label="ISO 2709 (UNIMARC)")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Exporter").click()
    saved = tmp_path / "export.mrc"
    download_info.value.save_as(saved)
    # Never another library's loan, even though it went out the same day.
    assert _barcodes(saved) == ["VDO000000101", "VDO000000102"]
    # The window saying the download started opens and closes by keyboard.
    dialog = page.get_by_role("dialog", name="Export lancé")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
