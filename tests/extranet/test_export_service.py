"""The export framework: registry, streamed downloads, background jobs, purge and tenancy.

Two throwaway exporters stand for the apps' ones: the colleagues of the library (a partner
export of ``User`` rows, which are library-owned) and the libraries a staff member follows.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from extranet import exports
from extranet.exports import CSV, ExporterNotFound, ExportError, ExportParameters, PartnerExporter, StaffExporter
from extranet.exports.formats import ExportFormat
from extranet.exports.services import export_job_run, purge_expired_exports
from extranet.models import ExportJob, Library, User
from extranet.tasks import purge_exports, run_export_job
from tests.factories import LibraryFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


class ColleaguesExporter(PartnerExporter):
    identifier = "test_colleagues"
    verbose_name = "Collègues"
    columns = ["Nom", "Prénom", "E-mail"]

    def get_queryset(self, parameters: ExportParameters) -> QuerySet[User]:
        users = User.objects.for_library(parameters.library).order_by("last_name", "pk")
        if parameters.query.get("nom"):
            users = users.filter(last_name__icontains=parameters.query["nom"])
        return users

    def row(self, user: User) -> list[str]:
        return [user.last_name, user.first_name, user.email]

    def filename(self, parameters: ExportParameters, export_format: ExportFormat) -> str:
        return f"collegues-{parameters.library.code}.{export_format.extension}"

    def list_url(self, parameters: ExportParameters) -> str:
        return reverse("extranet:users")


class FollowedLibrariesExporter(StaffExporter):
    identifier = "test_followed_libraries"
    verbose_name = "Bibliothèques suivies"
    columns = ["Code", "Nom"]

    def get_queryset(self, parameters: ExportParameters) -> QuerySet[Library]:
        return self.scope(Library.objects.order_by("code"), parameters.user)

    def row(self, library: Library) -> list[str]:
        return [library.code, library.name]

    def filename(self, parameters: ExportParameters, export_format: ExportFormat) -> str:
        return "bibliotheques.csv"

    def list_url(self, parameters: ExportParameters) -> str:
        return reverse("home")


class BrokenExporter(ColleaguesExporter):
    identifier = "test_broken"

    def rows(self, parameters: ExportParameters) -> Iterator[list[str]]:
        yield ["Martin", "Sophie", "a@example.fr"]
        raise RuntimeError("disk full")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def test_exporters():
    registered = [exports.register(cls()) for cls in (ColleaguesExporter, FollowedLibrariesExporter, BrokenExporter)]
    yield registered
    for exporter in registered:
        exports.unregister(exporter.identifier)


def _url(identifier: str = "test_colleagues") -> str:
    return reverse("extranet:export", args=[identifier])


def _content(response) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return data.decode("utf-8")


def _job(user: User, **fields) -> ExportJob:
    defaults = {
        "exporter": "test_colleagues",
        "format": "csv",
        "library": user.library,
        "user": user,
        "filename": "collegues.csv",
        "expires_at": timezone.now() + datetime.timedelta(hours=24),
    }
    return ExportJob.objects.create(**(defaults | fields))


def _done_job(user: User, **fields) -> ExportJob:
    job = _job(user, status=ExportJob.Status.DONE, **fields)
    job.file.save(job.filename, ContentFile(b"\xef\xbb\xbfNom\r\n"), save=True)
    return job


# --- registry ----------------------------------------------------------------------------------


def test_registry_finds_exporters_by_identifier(test_exporters):
    assert exports.get("test_colleagues") is test_exporters[0]
    assert test_exporters[0] in exports.registered()
    with pytest.raises(ExporterNotFound):
        exports.get("nothing")


def test_registering_the_same_class_again_replaces_it_another_class_is_refused():
    again = exports.register(ColleaguesExporter())
    assert exports.get("test_colleagues") is again

    class Impostor(FollowedLibrariesExporter):
        identifier = "test_colleagues"

    with pytest.raises(ValueError, match="already used"):
        exports.register(Impostor())


# --- streamed downloads ------------------------------------------------------------------------


def test_small_export_streams_a_csv_with_bom_and_semicolons(client_for, manager, viewer, other_manager):
    response = client_for(manager).get(_url())
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="collegues-VDO-MARINES.csv"'
    text = _content(response)
    assert text.startswith("\ufeffNom;Prénom;E-mail\r\n")
    assert "Martin;Sophie;" in text and "Bernard;Lucas;" in text
    assert "Haddad" not in text
    assert not ExportJob.objects.all_libraries().exists()


def test_get_export_follows_the_list_query(client_for, manager, viewer):
    text = _content(client_for(manager).get(_url(), {"nom": "bern", "format": "csv"}))
    assert "Bernard" in text and "Martin" not in text


def test_post_exports_the_selected_rows_only(client_for, manager, viewer):
    response = client_for(manager).post(_url(), {"format": "csv", "scope": "selected", "selected": [viewer.pk]})
    lines = _content(response).splitlines()
    assert len(lines) == 2 and lines[1].startswith("Bernard;Lucas;")


def test_post_filtered_scope_exports_every_row_matching_the_query(client_for, manager, viewer):
    response = client_for(manager).post(_url(), {"scope": "filtered", "query": "nom=mart", "selected": [viewer.pk]})
    lines = _content(response).splitlines()
    assert len(lines) == 2 and lines[1].startswith("Martin;")


def test_selecting_another_librarys_row_is_a_404(client_for, manager, other_manager):
    response = client_for(manager).post(_url(), {"scope": "selected", "selected": [manager.pk, other_manager.pk]})
    assert response.status_code == 404
    assert client_for(manager).post(_url(), {"selected": ["abc"]}).status_code == 404
    assert client_for(manager).post(_url(), {"selected": [2**64]}).status_code == 404


def test_refused_exports_say_why_in_french(client_for, manager):
    client = client_for(manager)
    response = client.post(_url(), {"scope": "selected"}, follow=True)
    assert "Cochez au moins une ligne" in response.content.decode()
    response = client.get(_url(), {"format": "xlsx"}, follow=True)
    assert "Choisissez un format d&#x27;export : CSV (tableur)." in response.content.decode()


def test_unknown_exporter_is_a_404(client_for, manager):
    assert client_for(manager).get(_url("nothing")).status_code == 404


# --- background jobs ---------------------------------------------------------------------------


def test_export_above_the_threshold_runs_as_a_job_and_downloads(client_for, manager, viewer, settings):
    settings.EXPORT_ASYNC_THRESHOLD = 1
    client = client_for(manager)
    response = client.get(_url())
    job = ExportJob.objects.for_library(manager.library).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("extranet:export_job_download", kwargs={"pk": job.pk})
    assert job.status == ExportJob.Status.DONE and job.user == manager
    assert (job.rows_written, job.rows_total) == (2, 2)
    assert job.started_at and job.finished_at and job.heartbeat
    assert abs(job.expires_at - job.created_at - datetime.timedelta(hours=24)) < datetime.timedelta(seconds=5)
    assert default_storage.exists(job.file.name) and job.file.name.endswith("/collegues-VDO-MARINES.csv")
    download = client.get(response["Location"])
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="collegues-VDO-MARINES.csv"'
    assert "Bernard;Lucas;" in _content(download)
    status = client.get(reverse("extranet:export_job", kwargs={"pk": job.pk}))
    body = status.content.decode()
    assert "Votre export est prêt" in body and "Télécharger collegues-VDO-MARINES.csv" in body
    assert 'http-equiv="refresh"' not in body


def test_job_keeps_the_selected_ids_and_query(manager, viewer, settings):
    settings.EXPORT_ASYNC_THRESHOLD = 0
    UserFactory(library=manager.library, last_name="Bernardin", profile=User.Profile.VIEWER)
    job = _job(manager, parameters={"query": "nom=bern", "ids": [viewer.pk]})
    run_export_job(str(job.pk))
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        lines = handle.read().decode("utf-8-sig").splitlines()
    assert lines == ["Nom;Prénom;E-mail", f"Bernard;Lucas;{viewer.email}"]


def test_failed_job_is_marked_failed_with_a_french_message_and_logged(client_for, manager, settings, caplog):
    settings.EXPORT_ASYNC_THRESHOLD = 0
    client = client_for(manager)
    with caplog.at_level(logging.ERROR, logger="extranet.exports.services"):
        response = client.get(_url("test_broken"))
    job = ExportJob.objects.for_library(manager.library).get()
    assert response["Location"] == reverse("extranet:export_job", kwargs={"pk": job.pk})
    assert job.status == ExportJob.Status.FAILED and job.finished_at
    assert job.error.startswith("Le fichier n'a pas pu être écrit.")
    assert not job.file
    assert "disk full" in caplog.text
    body = client.get(response["Location"]).content.decode()
    assert "L'export a échoué" in body and "Relancez l&#x27;export" in body
    assert 'http-equiv="refresh"' not in body
    assert client.get(reverse("extranet:export_job_download", kwargs={"pk": job.pk})).status_code == 404


def test_an_export_error_message_is_shown_as_is(manager, monkeypatch):
    def refuse(self, parameters, export_format, progress):
        raise ExportError("Cette liste est trop longue pour un seul fichier.")

    monkeypatch.setattr(ColleaguesExporter, "chunks", refuse)
    job = export_job_run(job=_job(manager))
    assert job.status == ExportJob.Status.FAILED
    assert job.error == "Cette liste est trop longue pour un seul fichier."


def test_progress_and_heartbeat_are_saved_while_writing(manager, settings, monkeypatch):
    settings.EXPORT_PROGRESS_EVERY = 2
    for index in range(4):
        UserFactory(library=manager.library, last_name=f"Zorro {index}", profile=User.Profile.VIEWER)
    job = _job(manager)
    seen = []
    original_row = ColleaguesExporter.row

    def spying_row(self, user):
        saved = ExportJob.objects.all_libraries().values_list("status", "rows_written", "rows_total", "heartbeat")
        seen.append(saved.get(pk=job.pk))
        return original_row(self, user)

    monkeypatch.setattr(ColleaguesExporter, "row", spying_row)
    export_job_run(job=job)
    # Row n is built after n-1 rows were written; the job saved itself at 2 and 4 rows.
    assert [(status, written, total) for status, written, total, _beat in seen] == [
        ("running", 0, 5),
        ("running", 0, 5),
        ("running", 2, 5),
        ("running", 2, 5),
        ("running", 4, 5),
    ]
    assert seen[0][3] is not None and seen[4][3] >= seen[2][3] >= seen[0][3]
    job.refresh_from_db()
    assert (job.status, job.rows_written, job.percent) == ("done", 5, 100)


def test_pending_and_running_jobs_refresh_their_status_page(client_for, manager):
    client = client_for(manager)
    pending = _job(manager)
    body = client.get(reverse("extranet:export_job", kwargs={"pk": pending.pk})).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in body and "Export en préparation" in body
    assert "attend son tour" in body
    running = _job(manager, status=ExportJob.Status.RUNNING, rows_written=500, rows_total=2000)
    body = client.get(reverse("extranet:export_job", kwargs={"pk": running.pk})).content.decode()
    assert '<meta http-equiv="refresh"' in body and "500 lignes écrites sur 2000." in body
    assert 'value="25"' in body
    assert client.get(reverse("extranet:export_job_download", kwargs={"pk": running.pk})).status_code == 404


# --- purge -------------------------------------------------------------------------------------


def test_expired_jobs_are_purged_with_their_files(manager):
    expired = _done_job(manager, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    kept = _done_job(manager)
    expired_file = expired.file.name
    assert default_storage.exists(expired_file)
    assert purge_expired_exports() == 1
    assert not default_storage.exists(expired_file)
    assert list(ExportJob.objects.all_libraries()) == [kept]
    assert default_storage.exists(kept.file.name)


def test_expired_job_is_no_longer_downloadable_before_the_purge(client_for, manager):
    job = _done_job(manager, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert client_for(manager).get(reverse("extranet:export_job_download", kwargs={"pk": job.pk})).status_code == 404


def test_silent_jobs_are_declared_failed_by_the_purge(manager, settings):
    settings.EXPORT_STALLED_AFTER_MINUTES = 30
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    silent = _job(manager, status=ExportJob.Status.RUNNING, heartbeat=long_ago)
    alive = _job(manager, status=ExportJob.Status.RUNNING, heartbeat=timezone.now())
    purge_expired_exports()
    silent.refresh_from_db()
    alive.refresh_from_db()
    assert silent.status == ExportJob.Status.FAILED and "interrompue" in silent.error
    assert alive.status == ExportJob.Status.RUNNING


def test_purge_task_and_command(manager, capsys):
    _done_job(manager, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert purge_exports() == 1
    _done_job(manager, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    call_command("purge_exports")
    assert "1 export(s) expiré(s) supprimé(s)." in capsys.readouterr().out
    assert not ExportJob.objects.all_libraries().exists()


def test_a_new_job_purges_the_expired_ones(client_for, manager, settings):
    settings.EXPORT_ASYNC_THRESHOLD = 0
    old = _done_job(manager, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client_for(manager).get(_url())
    assert not ExportJob.objects.all_libraries().filter(pk=old.pk).exists()


# --- tenancy and permissions -------------------------------------------------------------------


def test_consulter_may_export_and_follow_their_own_job(client_for, viewer, settings):
    assert client_for(viewer).get(_url()).status_code == 200
    settings.EXPORT_ASYNC_THRESHOLD = 0
    response = client_for(viewer).get(_url())
    job = ExportJob.objects.for_library(viewer.library).get(user=viewer)
    assert response.status_code == 302
    assert client_for(viewer).get(reverse("extranet:export_job", kwargs={"pk": job.pk})).status_code == 200
    assert client_for(viewer).get(response["Location"]).status_code == 200


def test_jobs_of_another_library_or_another_user_are_404(client_for, manager, viewer, other_manager):
    job = _done_job(manager)
    for name in ("extranet:export_job", "extranet:export_job_download"):
        url = reverse(name, kwargs={"pk": job.pk})
        assert client_for(manager).get(url).status_code == 200
        assert client_for(other_manager).get(url).status_code == 404
        assert client_for(viewer).get(url).status_code == 404


def test_anonymous_goes_to_the_login_page(client, manager):
    job = _done_job(manager)
    for url in (
        _url(),
        reverse("extranet:export_job", kwargs={"pk": job.pk}),
        reverse("extranet:export_job_download", kwargs={"pk": job.pk}),
        reverse("exports_staff:export", args=["test_followed_libraries"]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_staff_exporter_refuses_partners_and_partner_exporter_refuses_staff(client_for, manager, admin_user):
    staff_url = reverse("exports_staff:export", args=["test_followed_libraries"])
    assert client_for(manager).get(staff_url).status_code == 403
    assert client_for(admin_user).get(_url()).status_code == 403
    # A partner exporter is not reachable from the staff endpoint, nor the reverse.
    assert client_for(admin_user).get(reverse("exports_staff:export", args=["test_colleagues"])).status_code == 404
    assert client_for(manager).get(_url("test_followed_libraries")).status_code == 404


def test_staff_export_rows_are_scoped_to_the_referents_territories(client_for, referent, admin_user, library):
    LibraryFactory(code="VDO-AILLEURS")
    url = reverse("exports_staff:export", args=["test_followed_libraries"])
    assert _content(client_for(referent).get(url)).splitlines()[1:] == ["VDO-MARINES;Médiathèque de Marines"]
    assert len(_content(client_for(admin_user).get(url)).splitlines()) == 3


def test_staff_jobs_are_looked_up_by_their_user(client_for, referent, admin_user, settings):
    settings.EXPORT_ASYNC_THRESHOLD = 0
    response = client_for(referent).get(reverse("exports_staff:export", args=["test_followed_libraries"]))
    job = ExportJob.objects.of_staff_user(referent).get()
    assert job.library is None
    assert response["Location"] == reverse("exports_staff:download", kwargs={"pk": job.pk})
    assert client_for(referent).get(response["Location"]).status_code == 200
    assert client_for(referent).get(reverse("exports_staff:job", kwargs={"pk": job.pk})).status_code == 200
    other_staff = StaffFactory()
    assert client_for(other_staff).get(reverse("exports_staff:job", kwargs={"pk": job.pk})).status_code == 404
    assert client_for(admin_user).get(response["Location"]).status_code == 404


def test_formats_carry_type_and_extension():
    assert (CSV.code, CSV.extension, CSV.content_type) == ("csv", "csv", "text/csv; charset=utf-8")
    assert str(CSV.label) == "CSV (tableur)"


def test_an_export_error_before_writing_sends_back_to_the_list_with_its_message(client_for, manager, monkeypatch):
    def refuse(self, parameters):
        raise ExportError("Choisissez une période plus courte.")

    monkeypatch.setattr(ColleaguesExporter, "count", refuse)
    response = client_for(manager).get(_url(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("extranet:users")
    assert "Choisissez une période plus courte." in response.content.decode()


def test_a_file_gone_from_the_storage_is_a_404_not_an_error(client_for, manager):
    job = _done_job(manager)
    default_storage.delete(job.file.name)
    assert client_for(manager).get(reverse("extranet:export_job_download", kwargs={"pk": job.pk})).status_code == 404


def test_refusals_say_why_in_french(client_for, manager, monkeypatch):
    response = client_for(manager).get(reverse("exports_staff:export", args=["test_followed_libraries"]))
    assert response.status_code == 403
    assert "réservée aux personnels de la BDVO" in response.content.decode()
    monkeypatch.setattr(ColleaguesExporter, "has_permission", lambda self, user, library: False)
    response = client_for(manager).get(_url())
    assert response.status_code == 403
    assert "Cet export est réservé aux comptes de la bibliothèque." in response.content.decode()
