"""Files of the animation tools served by the portal: who reads them, how they are cached,
and what a missing file looks like (a French message, never a 500)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from tests.animation_tools.factories import (
    MINIMAL_PDF,
    MINIMAL_PNG,
    TechnicalSheetFactory,
    ToolBookingFactory,
    ToolFactory,
    ToolPhotoFactory,
)
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _private(response) -> bool:
    directives = _directives(response)
    return {"private", "no-store"} <= directives and "public" not in directives


# --- public files: technical sheets and photos ------------------------------------------------


def test_sheet_is_a_public_pdf_download_with_caching_headers(client, tool, settings):
    settings.PUBLIC_FILES_MAX_AGE = 3600
    sheet = TechnicalSheetFactory(tool=tool, title="Fiche de montage")
    response = client.get(reverse("animation_tools:sheet_download", args=[sheet.pk]))
    assert response.status_code == 200
    assert _content(response) == MINIMAL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="raconte-tapis-le-loup-fiche-de-montage.pdf"'
    assert _directives(response) == {"public", "max-age=3600"}
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")


def test_sheet_answers_304_to_a_conditional_request(client, tool):
    url = reverse("animation_tools:sheet_download", args=[TechnicalSheetFactory(tool=tool).pk])
    first = client.get(url)
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"] and "public" in _directives(again)
    since = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304


def test_photo_is_public_and_shown_inline(client, tool):
    photo = ToolPhotoFactory(tool=tool)
    response = client.get(reverse("animation_tools:photo", args=[photo.pk]))
    assert response.status_code == 200 and _content(response) == MINIMAL_PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert "public" in _directives(response)


def test_public_files_stay_public_for_a_logged_in_partner(client_for, manager, tool):
    """The same bytes for everyone: the private-page rule does not apply to them."""
    client = client_for(manager)
    sheet = TechnicalSheetFactory(tool=tool)
    assert "public" in _directives(client.get(reverse("animation_tools:sheet_download", args=[sheet.pk])))
    photo = ToolPhotoFactory(tool=tool)
    assert "public" in _directives(client.get(reverse("animation_tools:photo", args=[photo.pk])))


def test_tool_pages_link_files_by_object_never_by_media_path(client, tool):
    sheet = TechnicalSheetFactory(tool=tool)
    photo = ToolPhotoFactory(tool=tool)
    detail = client.get(tool.get_absolute_url()).content.decode()
    assert f'href="{sheet.get_absolute_url()}"' in detail and f'src="{photo.get_absolute_url()}"' in detail
    listing = client.get(reverse("animation_tools:type_detail", args=[tool.type.slug])).content.decode()
    assert f'src="{photo.get_absolute_url()}"' in listing
    assert "/media/" not in detail + listing


def test_files_of_a_withdrawn_tool_are_for_the_staff_only(client, client_for, manager):
    withdrawn = ToolFactory(is_active=False)
    sheet_url = reverse("animation_tools:sheet_download", args=[TechnicalSheetFactory(tool=withdrawn).pk])
    photo_url = reverse("animation_tools:photo", args=[ToolPhotoFactory(tool=withdrawn).pk])
    for url in (sheet_url, photo_url):
        assert client.get(url).status_code == 404
        assert client_for(manager).get(url).status_code == 404
        response = client_for(StaffFactory()).get(url)
        assert response.status_code == 200 and _private(response), url


def test_unknown_file_is_404(client):
    assert client.get(reverse("animation_tools:sheet_download", args=[999999])).status_code == 404
    assert client.get(reverse("animation_tools:photo", args=[999999])).status_code == 404


# --- a missing file -----------------------------------------------------------------------------


def test_tool_page_with_a_missing_sheet_file_renders_and_says_so(client, tool):
    present = TechnicalSheetFactory(tool=tool, title="Fiche présente")
    missing = TechnicalSheetFactory(tool=tool, title="Fiche perdue")
    missing.file.storage.delete(missing.file.name)
    response = client.get(tool.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Fiche perdue" in body and "Fichier indisponible pour le moment" in body
    assert f'href="{missing.get_absolute_url()}"' not in body
    assert f'href="{present.get_absolute_url()}"' in body


@pytest.mark.parametrize("kind", ["sheet", "photo"])
def test_download_of_a_missing_file_is_a_french_404_page(client, tool, kind):
    if kind == "sheet":
        stored = TechnicalSheetFactory(tool=tool)
        field, url = stored.file, reverse("animation_tools:sheet_download", args=[stored.pk])
    else:
        stored = ToolPhotoFactory(tool=tool)
        field, url = stored.image, reverse("animation_tools:photo", args=[stored.pk])
    field.storage.delete(field.name)
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Ce fichier est indisponible pour le moment" in body and "bdvo@" in body
    assert '<link rel="stylesheet"' in body  # the portal's page, not a bare error


def test_missing_file_is_a_french_404_under_debug_false(client, tool, settings):
    settings.DEBUG = False
    sheet = TechnicalSheetFactory(tool=tool)
    sheet.file.storage.delete(sheet.file.name)
    response = client.get(reverse("animation_tools:sheet_download", args=[sheet.pk]))
    assert response.status_code == 404 and "Ce fichier est indisponible" in response.content.decode()


# --- /media/: raw stored names, for the staff only ---------------------------------------------


def test_media_path_is_for_the_staff_only(client, client_for, manager, tool):
    sheet = TechnicalSheetFactory(tool=tool)
    url = sheet.file.url
    assert url.startswith("/media/")
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and reverse("account_login") in anonymous["Location"]
    assert client_for(manager).get(url).status_code == 403
    response = client_for(StaffFactory()).get(url)
    assert response.status_code == 200 and _content(response) == MINIMAL_PDF
    assert _private(response)


def test_media_path_refuses_to_leave_the_storage(client_for):
    staff = client_for(StaffFactory())
    assert staff.get("/media/outils/../../settings.py").status_code in {400, 404}
    assert staff.get("/media/absent.pdf").status_code == 404


def test_media_path_never_serves_an_export_file_whatever_its_spelling(client_for, admin_user, library):
    """Issue 15: export files of a library (or of a staff member) are served by their job only,
    so a referent of another territory cannot read them by their stored name."""
    from django.core.files.storage import default_storage

    name = default_storage.save("exports/jobs/0f0f/prets.csv", ContentFile(b"MARINES-PRET-0001"))
    staff = client_for(admin_user)
    for path in (name, "./" + name, name.replace("/jobs/", "//jobs/"), name.replace("/jobs/", "/./jobs/")):
        assert staff.get("/media/" + path).status_code == 404, path


# --- the library's documents: conventions and calendar feed ------------------------------------


@pytest.fixture
def convention_booking(library):
    today = timezone.localdate()
    return ToolBookingFactory(
        tool=ToolFactory(value=Decimal("6500.00")),
        library=library,
        loan_date=today + datetime.timedelta(days=60),
        return_date=today + datetime.timedelta(days=74),
        status="requested",
        convention_required=True,
    )


def test_convention_is_read_by_its_library_and_the_staff_only_never_cached(
    client, client_for, manager, viewer, other_manager, referent, convention_booking
):
    partner_url = reverse("animation_tools:booking_convention", args=[convention_booking.pk])
    staff_url = reverse("animation_tools:staff_booking_convention", args=[convention_booking.pk])
    for owner in (manager, viewer):  # Gestionnaire and Consulter of the library
        response = client_for(owner).get(partner_url)
        assert response.status_code == 200 and _private(response)
    assert client_for(other_manager).get(partner_url).status_code == 404
    anonymous = client.get(partner_url)
    assert anonymous.status_code == 302 and reverse("account_login") in anonymous["Location"]
    assert _private(anonymous)
    response = client_for(referent).get(staff_url)
    assert response.status_code == 200 and _private(response)
    assert client_for(manager).get(staff_url).status_code == 403


def test_calendar_feed_read_without_session_is_never_cached(client, library):
    from animation_tools.ics import library_token

    response = client.get(reverse("animation_tools:calendar_feed", args=[library_token(library)]))
    assert response.status_code == 200 and _private(response)
