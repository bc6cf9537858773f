"""XLSX beside CSV for every list that exports: codes stay text, dates are dates, a frozen
header row, column widths; the CSV keeps its text dates. Files are read back with openpyxl."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from extranet.exports import CODE, DATE, DATETIME, NUMBER, XLSX, Column
from extranet.exports.cells import text_rows, xlsx_chunks
from extranet.models import ExportJob
from tests.animation_tools.factories import ToolBookingFactory, ToolFactory
from tests.factories import ItemFactory, LoanFactory, RecordFactory, ReservationFactory
from tests.trainings.factories import RegistrationFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _sheet(data: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return workbook.active


def _body(response) -> bytes:
    assert response.status_code == 200, response.get("Location")
    return b"".join(response.streaming_content) if response.streaming else response.content


def _rows(sheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_xlsx_writer_keeps_codes_as_text_and_dates_as_dates():
    columns = [
        Column("Code-barres", CODE),
        Column("Titre"),
        Column("Prêt", DATE),
        Column("Demande", DATETIME),
        Column("Rang", NUMBER),
    ]
    aware = datetime.datetime(2026, 9, 1, 8, 30, tzinfo=datetime.UTC)  # 10:30 in Paris
    rows = [
        ["0012345678901", "=SOMME(A1:A2)", datetime.date(2026, 9, 1), aware, 3],
        ["9782070368228", "+33 1 30 39", None, None, None],
        ["00012345678905", "Les Misérables", datetime.date(2026, 12, 30), aware, 0],
    ]
    sheet = _sheet(b"".join(xlsx_chunks(columns, rows, sheet_name="Prêts en cours")))
    assert sheet.title == "Prêts en cours"
    values = _rows(sheet)
    assert values[0] == ["Code-barres", "Titre", "Prêt", "Demande", "Rang"]
    assert values[1][0] == "0012345678901" and sheet["A2"].data_type == "s"  # leading zeros kept
    assert values[2][0] == "9782070368228" and sheet["A3"].data_type == "s"  # 13 digits: no 9,78E+12
    assert values[3][0] == "00012345678905"
    assert values[1][1] == "=SOMME(A1:A2)" and sheet["B2"].data_type == "s"  # text, never a formula
    assert values[2][1] == "+33 1 30 39"
    assert values[1][2] == datetime.datetime(2026, 9, 1) and sheet["C2"].number_format == "dd/mm/yyyy"
    assert sheet["C2"].is_date and values[2][2] is None
    assert values[1][3] == datetime.datetime(2026, 9, 1, 10, 30) and sheet["D2"].number_format == "dd/mm/yyyy hh:mm"
    assert values[1][4] == 3 and sheet["E2"].data_type == "n" and values[3][4] == 0
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["A"].width >= 14 and sheet.column_dimensions["C"].width >= 12
    assert sheet.auto_filter.ref == "A1:E4"


def test_csv_rows_write_dates_as_french_text():
    columns = [Column("Titre"), Column("Prêt", DATE), Column("Demande", DATETIME)]
    moment = datetime.datetime(2026, 9, 1, 8, 30, tzinfo=datetime.UTC)
    rows = list(text_rows(columns, [["Un", datetime.date(2026, 9, 1), moment], ["Deux", None, None]]))
    assert rows == [["Un", "01/09/2026", "01/09/2026 10:30"], ["Deux", None, None]]


def test_xlsx_is_offered_wherever_csv_is():
    from extranet import exports

    offering_csv = [exporter for exporter in exports.registered() if "csv" in exporter.formats]
    assert {exporter.identifier for exporter in offering_csv} >= {
        "loans",
        "returns",
        "reservations",
        "tool_bookings",
        "training_registrations",
        "navette_plan",
        "attendance_sheet",
    }
    assert all(exporter.formats.get("xlsx") == XLSX for exporter in offering_csv)
    assert (XLSX.code, XLSX.extension, XLSX.content_type) == (
        "xlsx",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert str(XLSX.label) == "Excel (XLSX)"


def test_loans_in_xlsx_keep_their_barcodes_and_dates(client_for, manager, library):
    record = RecordFactory(title="Le Petit Prince", main_author="Saint-Exupéry")
    LoanFactory(
        item=ItemFactory(record=record, barcode="0012345678901", call_number="0843 SAI"),
        library=library,
        loaned_on=datetime.date(2026, 9, 1),
        due_on=datetime.date(2026, 12, 30),
    )
    LoanFactory(item=ItemFactory(barcode="9782070612758"), library=library, loaned_on=datetime.date(2026, 9, 2))
    response = client_for(manager).post(
        reverse("extranet:export", args=["loans"]), {"format": "xlsx", "scope": "filtered", "query": "o=loaned_on"}
    )
    assert response["Content-Type"] == XLSX.content_type
    assert response["Content-Disposition"].endswith(f'_prets_{timezone.localdate().isoformat()}.xlsx"')
    sheet = _sheet(_body(response))
    rows = _rows(sheet)
    assert rows[0] == ["Titre", "Auteur", "Code-barres", "Cote", "Type de document", "Date de prêt", "Retour prévu"]
    assert rows[1][:4] == ["Le Petit Prince", "Saint-Exupéry", "0012345678901", "0843 SAI"]
    assert rows[1][5:] == [datetime.datetime(2026, 9, 1), datetime.datetime(2026, 12, 30)]
    assert rows[2][2] == "9782070612758" and sheet["C3"].data_type == "s"
    assert sheet.freeze_panes == "A2"


def test_the_loans_form_offers_excel(client_for, manager, library):
    LoanFactory(library=library)
    page = client_for(manager).get(reverse("extranet:loans")).content.decode()
    assert '<option value="xlsx">Excel (XLSX)</option>' in page


def test_returns_in_xlsx_have_their_return_date(client_for, manager, library):
    LoanFactory(library=library, loaned_on=datetime.date(2026, 6, 1), returned_on=datetime.date(2026, 9, 15))
    response = client_for(manager).post(
        reverse("extranet:export", args=["returns"]), {"format": "xlsx", "scope": "filtered", "query": ""}
    )
    rows = _rows(_sheet(_body(response)))
    assert rows[0][-1] == "Date de retour" and rows[1][-1] == datetime.datetime(2026, 9, 15)


def test_reservations_in_xlsx_and_the_list_links_to_them(client_for, manager, library):
    reservation = ReservationFactory(library=library, record=RecordFactory(title="Le Horla"), created_by=manager)
    client = client_for(manager)
    page = client.get(reverse("extranet:reservations")).content.decode()
    assert "format=xlsx" in page and "Exporter (Excel XLSX)" in page
    response = client.get(reverse("extranet:export", args=["reservations"]), {"format": "xlsx"})
    rows = _rows(_sheet(_body(response)))
    created = timezone.localtime(reservation.created_at, PARIS).replace(tzinfo=None, microsecond=0)
    assert rows[1][0] == "Le Horla"
    assert abs(rows[1][2] - created) < datetime.timedelta(seconds=1)
    # The link without a format still gives the CSV it always gave.
    csv = client.get(reverse("extranet:export", args=["reservations"]))
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert created.strftime("%d/%m/%Y %H:%M") in _body(csv).decode("utf-8-sig")


def test_tool_bookings_and_navette_plan_in_xlsx(client_for, manager, admin_user, library):
    day = datetime.date(2026, 10, 5)
    ToolBookingFactory(
        library=library,
        tool=ToolFactory(name="Kamishibaï"),
        loan_date=day,
        return_date=day + datetime.timedelta(days=14),
    )
    page = client_for(manager).get(reverse("animation_tools:library_bookings")).content.decode()
    assert "format=xlsx" in page
    response = client_for(manager).get(reverse("extranet:export", args=["tool_bookings"]), {"format": "xlsx"})
    rows = _rows(_sheet(_body(response)))
    assert rows[1][0] == "Kamishibaï" and rows[1][2:4] == [
        datetime.datetime(2026, 10, 5),
        datetime.datetime(2026, 10, 19),
    ]
    assert isinstance(rows[1][7], datetime.datetime)
    params = {"date_from": day.isoformat(), "date_to": day.isoformat(), "format": "xlsx"}
    response = client_for(admin_user).get(reverse("exports_staff:export", args=["navette_plan"]), params)
    sheet = _sheet(_body(response))
    rows = _rows(sheet)
    assert rows[1][0] == datetime.datetime(2026, 10, 5) and rows[1][4] == "VDO-MARINES"
    assert sheet["E2"].data_type == "s" and isinstance(rows[1][9], int)  # code as text, « Caisses » a number


def test_training_registrations_and_attendance_sheet_in_xlsx(client_for, manager, admin_user):
    starts = datetime.datetime(2026, 11, 17, 9, 30, tzinfo=PARIS)
    session = TrainingSessionFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=7))
    RegistrationFactory(session=session, user=manager)
    response = client_for(manager).get(
        reverse("extranet:export", args=["training_registrations"]), {"periode": "toutes", "format": "xlsx"}
    )
    rows = _rows(_sheet(_body(response)))
    assert rows[1][1:3] == [datetime.datetime(2026, 11, 17, 9, 30), datetime.datetime(2026, 11, 17, 16, 30)]
    assert rows[1][6] == manager.email
    page = client_for(manager).get(reverse("trainings:my_registrations")).content.decode()
    assert "format=xlsx" in page
    response = client_for(admin_user).get(
        reverse("exports_staff:export", args=["attendance_sheet"]), {"session": session.pk, "format": "xlsx"}
    )
    rows = _rows(_sheet(_body(response)))
    assert rows[0] == ["Nom", "Prénom", "Bibliothèque", "E-mail", "Téléphone", "Présent·e"]
    assert rows[1][0] == manager.last_name


def test_a_large_xlsx_export_is_a_job_whose_file_opens(client_for, manager, library, settings):
    settings.EXPORT_ASYNC_THRESHOLD = 1
    for index in range(3):
        LoanFactory(item=ItemFactory(barcode=f"00000000000{index}"), library=library)
    client = client_for(manager)
    response = client.post(
        reverse("extranet:export", args=["loans"]), {"format": "xlsx", "scope": "filtered", "query": ""}
    )
    job = ExportJob.objects.for_library(library).get()
    assert job.status == ExportJob.Status.DONE and job.rows_written == 3 and job.filename.endswith(".xlsx")
    download = client.get(response["Location"])
    assert download["Content-Type"] == XLSX.content_type
    rows = _rows(_sheet(b"".join(download.streaming_content)))
    assert sorted(row[2] for row in rows[1:]) == ["000000000000", "000000000001", "000000000002"]
