"""Admin MARC imports as jobs: heartbeat, a dead worker's import failed after the timeout,
re-run from admin, one run per claim, a worker that comes back too late, a broker that is down."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from catalogue import tasks
from catalogue.marc.iso2709 import serialise
from catalogue.marc.record import MarcField, MarcRecord
from catalogue.models import MarcImport, Record
from catalogue.services import import_jobs
from catalogue.services.import_jobs import (
    marc_import_retry,
    marc_import_run,
    marc_imports_fail_stalled,
)

pytestmark = pytest.mark.django_db
Status = MarcImport.Status
CHANGELIST = reverse("admin:catalogue_marcimport_changelist")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _records(count: int) -> bytes:
    return b"".join(
        serialise(
            MarcRecord(
                "00000nam  2200000   450 ",
                [MarcField("001", data=f"J{number}"), MarcField("200", "1 ", [("a", f"Titre {number}")])],
            ),
            flavour="unimarc",
        )[0]
        for number in range(1, count + 1)
    )


def _pending_import(count: int = 3) -> MarcImport:
    marc_import = MarcImport(original_name="notices.mrc")
    marc_import.file.save("notices.mrc", ContentFile(_records(count)), save=False)
    marc_import.save()
    return marc_import


class WorkerDied(BaseException):
    """What a killed worker leaves behind: nothing after this point runs (not even ``except Exception``)."""


def _spy_batches(monkeypatch, after_batch) -> None:
    """Call ``after_batch(read)`` after each batch's heartbeat, inside the import."""
    real = import_jobs.marc_import_file

    def spied(**arguments):
        heartbeat = arguments["progress"]

        def progress(read: int) -> None:
            heartbeat(read)
            after_batch(read)

        return real(**{**arguments, "progress": progress})

    monkeypatch.setattr(import_jobs, "marc_import_file", spied)


def test_heartbeat_and_records_read_are_written_after_every_batch(monkeypatch):
    marc_import = _pending_import(3)
    beats: list[tuple[str, int, datetime.datetime]] = []

    def after_batch(read: int) -> None:
        row = MarcImport.objects.get(pk=marc_import.pk)
        beats.append((row.status, row.records_read, row.heartbeat_at))

    _spy_batches(monkeypatch, after_batch)
    before = timezone.now()
    done = marc_import_run(import_id=marc_import.pk, batch_size=1)
    assert [(status, read) for status, read, _ in beats] == [
        (Status.RUNNING, 1),
        (Status.RUNNING, 2),
        (Status.RUNNING, 3),
    ]
    stamps = [stamp for _, _, stamp in beats]
    assert before <= stamps[0] <= stamps[1] <= stamps[2]
    assert (done.status, done.attempts, done.records_created) == (Status.DONE, 1, 3)
    assert done.heartbeat_at == stamps[2] and done.finished_at >= stamps[2]


def test_a_task_delivered_twice_runs_the_import_once():
    marc_import = _pending_import(2)
    assert tasks.run_marc_import.delay(marc_import.pk).get() == Status.DONE
    Record.objects.all().delete()
    assert tasks.run_marc_import.delay(marc_import.pk).get() == Status.DONE
    marc_import.refresh_from_db()
    assert marc_import.attempts == 1 and not Record.objects.exists()


def test_import_whose_worker_died_is_failed_after_the_timeout_then_rerun_from_admin(
    monkeypatch, settings, admin_user, client_for, django_capture_on_commit_callbacks
):
    settings.JOB_HEARTBEAT_TIMEOUT = 600
    marc_import = _pending_import(5)

    def die_after_the_second_batch(read: int) -> None:
        if read == 2:
            raise WorkerDied

    _spy_batches(monkeypatch, die_after_the_second_batch)
    with pytest.raises(WorkerDied):
        marc_import_run(import_id=marc_import.pk, batch_size=1)
    monkeypatch.undo()
    marc_import.refresh_from_db()
    assert (marc_import.status, marc_import.records_read, Record.objects.count()) == (Status.RUNNING, 2, 2)

    beat = marc_import.heartbeat_at
    assert marc_imports_fail_stalled(now=beat + datetime.timedelta(seconds=599)) == 0
    assert marc_imports_fail_stalled(now=beat + datetime.timedelta(seconds=601)) == 1
    marc_import.refresh_from_db()
    assert marc_import.status == Status.FAILED
    assert marc_import.error.startswith(
        "L'import s'est interrompu : son traitement ne donne plus signe de vie depuis plus de 10 minutes"
    )
    assert "relancez l'import (action « Relancer l'import »)" in marc_import.error

    client = client_for(admin_user)
    assert "Relancer l&#x27;import" in client.get(CHANGELIST).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHANGELIST, {"action": "retry", ACTION_CHECKBOX_NAME: [marc_import.pk]}, follow=True)
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "1 import relancé : les notices déjà enregistrées seront mises à jour, sans doublon."
    ]
    marc_import.refresh_from_db()
    assert (marc_import.status, marc_import.attempts, marc_import.error) == (Status.DONE, 2, "")
    assert (marc_import.records_read, marc_import.records_created, marc_import.records_updated) == (5, 3, 2)
    assert Record.objects.count() == 5


def test_only_running_imports_without_recent_heartbeat_are_failed(settings):
    settings.JOB_HEARTBEAT_TIMEOUT = 60
    now = timezone.now()
    old = now - datetime.timedelta(seconds=61)
    recent = now - datetime.timedelta(seconds=59)
    rows = {
        "stalled": MarcImport.objects.create(status=Status.RUNNING, heartbeat_at=old),
        "alive": MarcImport.objects.create(status=Status.RUNNING, heartbeat_at=recent),
        "pending": MarcImport.objects.create(status=Status.PENDING),
        "done": MarcImport.objects.create(status=Status.DONE, heartbeat_at=old),
        "never_beat": MarcImport.objects.create(status=Status.RUNNING),  # running before the heartbeat existed
        "just_started": MarcImport.objects.create(status=Status.RUNNING),
    }
    MarcImport.objects.filter(pk__in=[rows["pending"].pk, rows["never_beat"].pk]).update(created_at=old)
    assert marc_imports_fail_stalled(now=now) == 2
    statuses = {name: MarcImport.objects.get(pk=row.pk).status for name, row in rows.items()}
    assert statuses == {
        "stalled": Status.FAILED,
        "alive": Status.RUNNING,
        "pending": Status.PENDING,
        "done": Status.DONE,
        "never_beat": Status.FAILED,
        "just_started": Status.RUNNING,
    }
    assert "depuis plus de 1 minutes" in MarcImport.objects.get(pk=rows["stalled"].pk).error


def test_periodic_task_fails_stalled_imports(settings):
    settings.JOB_HEARTBEAT_TIMEOUT = 60
    MarcImport.objects.create(status=Status.RUNNING, heartbeat_at=timezone.now() - datetime.timedelta(minutes=5))
    assert tasks.fail_stalled_imports.delay().get() == 1
    assert MarcImport.objects.get().status == Status.FAILED


def test_admin_pages_show_a_stalled_import_as_failed(admin_user, client_for, settings):
    settings.JOB_HEARTBEAT_TIMEOUT = 60
    stalled = MarcImport.objects.create(
        original_name="perdu.mrc", status=Status.RUNNING, heartbeat_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    rows = client_for(admin_user).get(CHANGELIST).content.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert "perdu.mrc" in rows and "Échec" in rows and "En cours" not in rows
    stalled.refresh_from_db()
    assert stalled.status == Status.FAILED

    other = MarcImport.objects.create(
        original_name="autre.mrc", status=Status.RUNNING, heartbeat_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    page = client_for(admin_user).get(reverse("admin:catalogue_marcimport_change", args=[other.pk]))
    assert "ne donne plus signe de vie" in page.content.decode()


def test_rerun_leaves_imports_that_are_not_failed_alone(
    admin_user, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    done = MarcImport.objects.create(original_name="fini.mrc", status=Status.DONE, records_created=4)
    running = MarcImport.objects.create(status=Status.RUNNING, heartbeat_at=timezone.now())
    queued: list[int] = []
    monkeypatch.setattr(tasks.run_marc_import, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(
            CHANGELIST, {"action": "retry", ACTION_CHECKBOX_NAME: [done.pk, running.pk]}, follow=True
        )
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "2 imports non relancés : seuls les imports en échec peuvent l'être."
    ]
    assert queued == []
    assert MarcImport.objects.get(pk=done.pk).records_created == 4
    assert marc_import_retry(marc_import=running) is False


def test_partner_cannot_rerun_an_import(manager, client_for):
    failed = MarcImport.objects.create(status=Status.FAILED)
    response = client_for(manager).post(CHANGELIST, {"action": "retry", ACTION_CHECKBOX_NAME: [failed.pk]})
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert MarcImport.objects.get().status == Status.FAILED


def test_worker_that_comes_back_after_its_import_was_failed_stops_and_leaves_the_row(monkeypatch, settings):
    settings.JOB_HEARTBEAT_TIMEOUT = 60
    marc_import = _pending_import(4)
    later = timezone.now() + datetime.timedelta(minutes=5)

    def stall_after_the_first_batch(read: int) -> None:
        if read == 1:  # the worker hangs longer than the timeout: the periodic task fails the import
            assert marc_imports_fail_stalled(now=later) == 1

    _spy_batches(monkeypatch, stall_after_the_first_batch)
    returned = marc_import_run(import_id=marc_import.pk, batch_size=1)
    # Its next heartbeat finds the row no longer its own: it stops after that batch.
    assert Record.objects.count() == 2
    assert returned.status == Status.FAILED and "ne donne plus signe de vie" in returned.error
    assert returned.records_read == 1


def test_unexpected_error_fails_the_import_and_reaches_the_worker_log(monkeypatch):
    marc_import = _pending_import(1)

    def broken(**arguments):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(import_jobs, "marc_import_file", broken)
    with pytest.raises(RuntimeError):
        marc_import_run(import_id=marc_import.pk)
    marc_import.refresh_from_db()
    assert marc_import.status == Status.FAILED
    assert marc_import.error.startswith("L'import s'est arrêté sur une erreur inattendue (RuntimeError).")


def test_broker_down_fails_the_upload_in_french_instead_of_an_error_page(
    admin_user, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.run_marc_import, "delay", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(
            reverse("admin:catalogue_marcimport_add"),
            {"file": SimpleUploadedFile("notices.mrc", _records(1)), "flavour": "", "encoding": ""},
        )
    assert response.status_code == 302
    marc_import = MarcImport.objects.get()
    assert marc_import.status == Status.FAILED
    assert marc_import.error.startswith("Le service des tâches de fond est momentanément indisponible")
