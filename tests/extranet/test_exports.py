"""Exports of "Prêts en cours" and "Retours": ISO 2709 (UNIMARC), MARCXML and CSV, through the
export service (``extranet:export`` with the exporters of ``catalogue.exports``)."""

from __future__ import annotations

import csv
import datetime
import io

import pymarc
import pytest
from django.urls import reverse
from django.utils import timezone

from extranet.models import ExportJob
from tests.catalogue.export_checks import barcodes_995, read_with_pymarc, yaz_dump
from tests.factories import ItemFactory, LoanFactory, RecordFactory, make_marc

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 9, 1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _loan(library, title, barcode, *, record=None, loaned_on=DAY, returned_on=None):
    record = record or RecordFactory(title=title, main_author="Hugo, Victor", marc=make_marc(title))
    return LoanFactory(
        library=library,
        item=ItemFactory(record=record, barcode=barcode, call_number="R HUG"),
        loaned_on=loaned_on,
        due_on=loaned_on + datetime.timedelta(days=120),
        returned_on=returned_on,
    )


@pytest.fixture
def loans(library, other_library):
    shared = RecordFactory(title="Les Misérables", marc=make_marc("Les Misérables"))
    return {
        "a": _loan(library, "Les Misérables", "A-1", record=shared),
        "b": _loan(library, "Les Misérables", "A-2", record=shared),
        "c": _loan(library, "Ærø", "A-3", loaned_on=DAY + datetime.timedelta(days=7)),
        "d": _loan(library, "Œuvres", "A-4", loaned_on=DAY + datetime.timedelta(days=7)),
        "back": _loan(library, "Rendu", "A-5", returned_on=DAY + datetime.timedelta(days=30)),
        "theirs": _loan(other_library, "Voisins", "B-1"),
    }


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _post(client, kind, **data):
    return client.post(reverse("extranet:export", kwargs={"identifier": kind}), data)


def _job(user, **fields):
    """A job of ``user``'s library for the loans exporter (pending unless told otherwise)."""
    fields = {"expires_at": timezone.now() + datetime.timedelta(hours=24), **fields}
    return ExportJob.objects.create(
        exporter="loans", format="mrc", library=user.library, user=user, filename="VDO-MARINES_prets.mrc", **fields
    )


def test_selected_loans_export_as_iso2709(client_for, manager, loans):
    selected = [loans["a"].pk, loans["b"].pk, loans["c"].pk]
    response = _post(client_for(manager), "loans", format="mrc", scope="selected", selected=selected)
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="VDO-MARINES_prets_{datetime.date.today().isoformat()}.mrc"'
    )
    data = _content(response)
    records = read_with_pymarc(data)
    assert sorted(barcodes_995(records)) == ["A-1", "A-2", "A-3"]
    assert len(records) == 2  # two items of one title: one record
    dump = yaz_dump(data)
    assert "Les Misérables" in dump and "Ærø" in dump


def test_all_loans_matching_filters_export(client_for, manager, loans):
    response = _post(client_for(manager), "loans", format="mrc", scope="filtered", query="loaned_on=2026-09-08")
    records = read_with_pymarc(_content(response))
    assert sorted(barcodes_995(records)) == ["A-3", "A-4"]
    assert {record["200"]["a"] for record in records} == {"Ærø", "Œuvres"}


def test_returns_export_contains_returned_loans_only(client_for, manager, loans):
    response = _post(client_for(manager), "returns", format="mrc", scope="filtered", query="")
    assert barcodes_995(read_with_pymarc(_content(response))) == ["A-5"]
    assert "_retours_" in response["Content-Disposition"]


def test_marcxml_export(client_for, manager, loans):
    response = _post(client_for(manager), "loans", format="xml", scope="selected", selected=[loans["d"].pk])
    assert response["Content-Disposition"].endswith('.xml"')
    data = _content(response)
    records = pymarc.parse_xml_to_array(io.BytesIO(data))
    assert barcodes_995(records) == ["A-4"] and records[0]["200"]["a"] == "Œuvres"
    yaz_dump(data, input_format="marcxml")


def test_csv_export_has_the_list_columns(client_for, manager, loans):
    response = _post(client_for(manager), "returns", format="csv", scope="filtered", query="")
    text = _content(response).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == [
        "Titre",
        "Auteur",
        "Code-barres",
        "Cote",
        "Type de document",
        "Date de prêt",
        "Retour prévu",
        "Date de retour",
    ]
    assert rows[1] == ["Rendu", "Hugo, Victor", "A-5", "R HUG", "Livre", "01/09/2026", "30/12/2026", "01/10/2026"]
    assert len(rows) == 2


def test_nothing_selected_or_unknown_format_is_refused_in_french(client_for, manager, loans):
    client = client_for(manager)
    response = _post(client, "loans", format="mrc", scope="selected")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert "Cochez au moins une ligne" in response.content.decode()
    response = _post(client, "loans", format="pdf", scope="filtered", query="")
    assert response.status_code == 302


@pytest.mark.parametrize("kind", ["loans", "returns"])
def test_other_library_ids_give_404(client_for, other_manager, loans, kind):
    loan = loans["a"] if kind == "loans" else loans["back"]
    response = _post(client_for(other_manager), kind, format="mrc", scope="selected", selected=[loan.pk])
    assert response.status_code == 404


def test_mixing_own_and_foreign_ids_gives_404(client_for, manager, loans):
    response = _post(
        client_for(manager), "loans", format="mrc", scope="selected", selected=[loans["a"].pk, loans["theirs"].pk]
    )
    assert response.status_code == 404


@pytest.mark.parametrize("kind", ["loans", "returns"])
def test_viewer_may_export_too(client_for, viewer, loans, kind):
    """Exporting is reading: a Consulter exports what they see."""
    response = _post(client_for(viewer), kind, format="csv", scope="filtered", query="")
    assert response.status_code == 200
    expected = "A-1" if kind == "loans" else "A-5"
    assert expected in _content(response).decode("utf-8")


@pytest.mark.parametrize("kind", ["loans", "returns"])
def test_anonymous_export_goes_to_login(client, loans, kind):
    response = _post(client, kind, format="csv", scope="filtered", query="")
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_filtered_export_of_another_library_never_leaks(client_for, other_manager, loans):
    response = _post(client_for(other_manager), "loans", format="mrc", scope="filtered", query="")
    assert barcodes_995(read_with_pymarc(_content(response))) == ["B-1"]


def test_large_export_runs_as_task_and_downloads_in_eager_mode(
    client_for, manager, other_manager, viewer, loans, settings
):
    settings.EXPORT_ASYNC_THRESHOLD = 2
    client = client_for(manager)
    response = _post(client, "loans", format="mrc", scope="filtered", query="")
    assert response.status_code == 302
    download_url = response["Location"]
    job = ExportJob.objects.for_library(manager.library).get()
    assert download_url == reverse("extranet:export_job_download", kwargs={"pk": job.pk})
    response = client.get(download_url)
    assert response.status_code == 200
    assert "VDO-MARINES_prets_" in response["Content-Disposition"]
    assert sorted(barcodes_995(read_with_pymarc(_content(response)))) == ["A-1", "A-2", "A-3", "A-4"]
    status = client.get(reverse("extranet:export_job", kwargs={"pk": job.pk}))
    assert status.status_code == 200 and "Télécharger" in status.content.decode()
    # Another library never gets the file, nor another user of the library; unknown jobs are 404.
    assert client_for(other_manager).get(download_url).status_code == 404
    assert client_for(other_manager).get(reverse("extranet:export_job", kwargs={"pk": job.pk})).status_code == 404
    assert client_for(viewer).get(download_url).status_code == 404
    unknown = "00000000-0000-0000-0000-000000000000"
    assert client.get(reverse("extranet:export_job_download", kwargs={"pk": unknown})).status_code == 404
    assert client.get("/espace-pro/export/suivi/..%2Fetc/fichier/").status_code == 404


@pytest.mark.parametrize(("fmt", "kind"), [("mrc", "loans"), ("xml", "loans"), ("csv", "returns")])
def test_a_job_counts_every_loan_written_whatever_the_format(client_for, manager, loans, settings, fmt, kind):
    """The job's progress counts loans (one 995 each in MARC files), not records."""
    settings.EXPORT_ASYNC_THRESHOLD = 0
    _post(client_for(manager), kind, format=fmt, scope="filtered", query="")
    job = ExportJob.objects.for_library(manager.library).get()
    expected = 4 if kind == "loans" else 1
    assert (job.status, job.rows_written, job.rows_total) == ("done", expected, expected)


def test_a_job_keeps_the_selected_loans(client_for, manager, loans, settings):
    settings.EXPORT_ASYNC_THRESHOLD = 1
    selected = [loans["a"].pk, loans["c"].pk]
    response = _post(client_for(manager), "loans", format="mrc", scope="selected", selected=selected, query="")
    downloaded = client_for(manager).get(response["Location"])
    assert sorted(barcodes_995(read_with_pymarc(_content(downloaded)))) == ["A-1", "A-3"]


def test_progress_page_refreshes_until_the_file_is_ready(client_for, manager, library):
    job = _job(manager)
    response = client_for(manager).get(reverse("extranet:export_job", kwargs={"pk": job.pk}))
    assert response.status_code == 200
    assert 'http-equiv="refresh"' in response.content.decode()
    assert response.context["extranet_section"] == "loans"
    assert client_for(manager).get(reverse("extranet:export_job_download", kwargs={"pk": job.pk})).status_code == 404


def test_old_export_files_are_purged_by_the_next_large_export(client_for, manager, library, loans, settings):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    settings.EXPORT_ASYNC_THRESHOLD = 1
    old = _job(manager, status=ExportJob.Status.DONE, expires_at=timezone.now() - datetime.timedelta(hours=1))
    old.file.save(old.filename, ContentFile(b"x"), save=True)
    path = old.file.name
    _post(client_for(manager), "loans", format="csv", scope="filtered", query="")
    assert not default_storage.exists(path)
    assert not ExportJob.objects.for_library(library).filter(pk=old.pk).exists()


@pytest.mark.parametrize("name", ["extranet:export_job", "extranet:export_job_download"])
def test_anonymous_job_urls_go_to_login_and_another_user_gets_404(client, client_for, manager, viewer, name):
    job = _job(manager, status=ExportJob.Status.DONE)
    response = client.get(reverse(name, kwargs={"pk": job.pk}))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert client_for(viewer).get(reverse(name, kwargs={"pk": job.pk})).status_code == 404


def test_anonymous_reservations_export_goes_to_login_and_viewer_may_export(client, client_for, viewer):
    url = reverse("extranet:export", kwargs={"identifier": "reservations"})
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert client_for(viewer).get(url).status_code == 200


def test_progress_page_reports_a_failed_export(client_for, manager, library):
    from extranet.exports.services import FAILED_MESSAGE

    job = _job(manager, status=ExportJob.Status.FAILED, error=FAILED_MESSAGE)
    response = client_for(manager).get(reverse("extranet:export_job", kwargs={"pk": job.pk}))
    content = response.content.decode()
    assert "L'export a échoué" in content and 'http-equiv="refresh"' not in content
    assert f'href="{reverse("extranet:loans")}"' in content
    assert client_for(manager).get(reverse("extranet:export_job_download", kwargs={"pk": job.pk})).status_code == 404


def test_the_list_shows_the_export_form_to_a_consulter(client_for, viewer, loans):
    html = client_for(viewer).get(reverse("extranet:loans")).content.decode()
    assert f'action="{reverse("extranet:export", kwargs={"identifier": "loans"})}"' in html
    assert f'value="{loans["a"].pk}"' in html and "ISO 2709 (UNIMARC)" in html
