"""The animation tools' exporters: the library's bookings and the navette plan, through the export service."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from animation_tools.models import ToolBooking
from extranet import exports
from extranet.models import ExportJob
from tests.animation_tools.factories import ToolBookingFactory, ToolFactory
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
Status = ToolBooking.Status
DAY = datetime.date(2026, 10, 5)
BOOKINGS_EXPORT = reverse("extranet:export", args=["tool_bookings"])
NAVETTE_EXPORT = reverse("exports_staff:export", args=["navette_plan"])


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _lines(response) -> list[str]:
    return b"".join(response.streaming_content).decode("utf-8-sig").splitlines()


def test_both_exporters_are_registered():
    assert isinstance(exports.get("tool_bookings"), exports.PartnerExporter)
    assert isinstance(exports.get("navette_plan"), exports.StaffExporter)


def test_bookings_export_keeps_its_file_name_and_follows_the_filters(client_for, manager):
    ToolBookingFactory(library=manager.library, tool=ToolFactory(name="Malle refusée"), status=Status.REFUSED)
    ToolBookingFactory(library=manager.library, tool=ToolFactory(name="Malle validée"), status=Status.VALIDATED)
    response = client_for(manager).get(BOOKINGS_EXPORT, {"status": "refused"})
    assert response["Content-Disposition"] == 'attachment; filename="pre-reservations-outils.csv"'
    lines = _lines(response)
    assert len(lines) == 2 and lines[1].startswith("Malle refusée;")


def test_consulter_exports_the_bookings_too(client_for, viewer):
    ToolBookingFactory(library=viewer.library)
    assert len(_lines(client_for(viewer).get(BOOKINGS_EXPORT))) == 2


def test_bookings_page_links_to_the_export_with_its_filters(client_for, manager):
    response = client_for(manager).get(reverse("animation_tools:library_bookings"), {"status": "validated"})
    assert f'href="{BOOKINGS_EXPORT}?status=validated"' in response.content.decode()


def test_large_bookings_export_is_a_job_of_the_library(client_for, manager, other_manager, settings):
    settings.EXPORT_ASYNC_THRESHOLD = 1
    ToolBookingFactory.create_batch(2, library=manager.library)
    response = client_for(manager).get(BOOKINGS_EXPORT)
    job = ExportJob.objects.for_library(manager.library).get()
    assert job.status == ExportJob.Status.DONE and job.filename == "pre-reservations-outils.csv"
    assert len(_lines(client_for(manager).get(response["Location"]))) == 3
    assert client_for(other_manager).get(response["Location"]).status_code == 404


def test_navette_export_keeps_its_file_name_and_the_page_links_to_it(client_for, admin_user, library):
    ToolBookingFactory(library=library, status=Status.VALIDATED, loan_date=DAY, return_date=DAY + datetime.timedelta(3))
    params = {"date_from": DAY.isoformat(), "date_to": DAY.isoformat()}
    response = client_for(admin_user).get(NAVETTE_EXPORT, params)
    assert response["Content-Disposition"] == 'attachment; filename="navette-2026-10-05-2026-10-05.csv"'
    assert len(_lines(response)) == 2
    page = client_for(admin_user).get(reverse("animation_tools:navette"), params).content.decode()
    assert f'href="{NAVETTE_EXPORT}?date_from=2026-10-05&amp;date_to=2026-10-05"' in page


def test_navette_export_is_for_staff_only(client, client_for, manager, viewer):
    for user in (manager, viewer):
        assert client_for(user).get(NAVETTE_EXPORT).status_code == 403
    assert client.get(NAVETTE_EXPORT).status_code == 302


def test_navette_export_lists_the_referents_territories_like_its_page(
    client_for, referent, network_staff, library, other_library
):
    """Issue 15: a referent read another territory's navette CSV. Now the export is the page's
    rows: their territories' for a referent, every territory for BDVO-wide staff."""
    next_day = DAY + datetime.timedelta(days=1)
    ToolBookingFactory(library=library, status=Status.VALIDATED, loan_date=DAY, return_date=next_day)
    ToolBookingFactory(library=other_library, status=Status.VALIDATED, loan_date=DAY, return_date=next_day)
    period = {"date_from": DAY.isoformat(), "date_to": next_day.isoformat()}
    lines = _lines(client_for(referent).get(NAVETTE_EXPORT, period))
    assert len(lines) == 3  # header, delivery and collection of their own territory's booking
    assert all(other_library.name not in line for line in lines)
    forged = _lines(client_for(referent).get(NAVETTE_EXPORT, {**period, "territory": other_library.territory_id}))
    assert all(other_library.name not in line for line in forged)
    assert len(_lines(client_for(network_staff).get(NAVETTE_EXPORT, period))) == 5  # both territories


def test_large_navette_export_is_a_job_of_its_staff_user(client_for, admin_user, library, settings):
    settings.EXPORT_ASYNC_THRESHOLD = 0
    ToolBookingFactory(library=library, status=Status.VALIDATED, loan_date=DAY, return_date=DAY + datetime.timedelta(1))
    response = client_for(admin_user).get(NAVETTE_EXPORT, {"date_from": DAY.isoformat()})
    job = ExportJob.objects.of_staff_user(admin_user).get()
    assert job.filename == "navette-2026-10-05-2026-10-11.csv" and job.rows_written == 2
    assert client_for(admin_user).get(response["Location"]).status_code == 200
    assert client_for(StaffFactory()).get(response["Location"]).status_code == 404
