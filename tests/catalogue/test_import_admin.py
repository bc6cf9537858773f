"""Staff upload a MARC file in admin; the import runs as a Celery task; the report shows."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalogue.marc.iso2709 import serialise
from catalogue.marc.record import MarcField, MarcRecord
from catalogue.models import MarcImport, Record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _file() -> bytes:
    good, _ = serialise(
        MarcRecord(
            "00000nam  2200000   450 ",
            [MarcField("001", data="U1"), MarcField("200", "1 ", [("a", "Notre-Dame de Paris")])],
        ),
        flavour="unimarc",
    )
    bad, _ = serialise(
        MarcRecord(
            "00000nam  2200000   450 ", [MarcField("001", data="U2"), MarcField("210", "  ", [("c", "Sans titre")])]
        ),
        flavour="unimarc",
    )
    return good + bad


def test_admin_upload_runs_the_import_and_shows_the_report(admin_user, client_for, django_capture_on_commit_callbacks):
    client = client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:catalogue_marcimport_add"),
            {"file": SimpleUploadedFile("notices.mrc", _file()), "flavour": "", "encoding": ""},
        )
    assert response.status_code == 302
    marc_import = MarcImport.objects.get()
    assert marc_import.status == MarcImport.Status.DONE
    assert (marc_import.records_read, marc_import.records_created, marc_import.records_rejected) == (2, 1, 1)
    assert marc_import.created_by == admin_user and marc_import.original_name == "notices.mrc"
    assert Record.objects.get().title == "Notre-Dame de Paris"

    page = client.get(reverse("admin:catalogue_marcimport_change", args=[marc_import.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Titre absent" in html and "U2" in html
    assert 'name="_save"' not in html  # read-only report


def test_admin_upload_with_overrides(admin_user, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(admin_user).post(
            reverse("admin:catalogue_marcimport_add"),
            {"file": SimpleUploadedFile("n.mrc", _file()), "flavour": "unimarc", "encoding": "utf-8"},
        )
    marc_import = MarcImport.objects.get()
    assert (marc_import.flavour, marc_import.encoding, marc_import.status) == (
        "unimarc",
        "utf-8",
        MarcImport.Status.DONE,
    )


def test_admin_upload_requires_a_file(admin_user, client_for):
    response = client_for(admin_user).post(reverse("admin:catalogue_marcimport_add"), {"flavour": "", "encoding": ""})
    assert response.status_code == 200
    assert not MarcImport.objects.exists()


def test_partner_and_anonymous_cannot_reach_the_upload(manager, client_for):
    url = reverse("admin:catalogue_marcimport_add")
    response = client_for(manager).get(url)
    assert response.status_code == 302 and "/admin/login/" in response.url
    response = client_for(None).get(url)
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_record_admin_pages(admin_user, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(admin_user).post(
            reverse("admin:catalogue_marcimport_add"),
            {"file": SimpleUploadedFile("n.mrc", _file()), "flavour": "", "encoding": ""},
        )
    record = Record.objects.get()
    client = client_for(admin_user)
    assert client.get(reverse("admin:catalogue_record_changelist"), {"q": "Notre-Dame"}).status_code == 200
    page = client.get(reverse("admin:catalogue_record_change", args=[record.pk]))
    assert page.status_code == 200 and "Notre-Dame de Paris" in page.content.decode()
    assert client.get(reverse("admin:catalogue_item_changelist")).status_code == 200
