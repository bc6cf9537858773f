"""The one way an export is answered: a streamed download, or a background job above the threshold.

``export_response`` is called by the export views with a parsed ``ExportRequest``; it
returns the file itself when it is small, otherwise it creates an ``ExportJob``, queues
``extranet.tasks.run_export_job`` and sends the user to the job's status page (to the
download at once when the task already ran, as in eager mode). ``export_job_run`` is the
body of that task; ``purge_expired_exports`` removes expired jobs with their files.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db.models import Q
from django.http import Http404, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override
from kombu.exceptions import OperationalError as BrokerUnavailable

from extranet.exports import registry
from extranet.exports.base import Exporter, ExportError, ExportParameters, Progress
from extranet.exports.formats import ExportFormat, streamed_file
from extranet.models import ExportJob

logger = logging.getLogger(__name__)

FAILED_MESSAGE = gettext_noop(
    "Le fichier n'a pas pu être écrit. Relancez l'export depuis la liste ; si l'erreur se répète, contactez la BDVO."
)
STALLED_MESSAGE = gettext_noop("L'écriture du fichier s'est interrompue. Relancez l'export depuis la liste.")
UNAVAILABLE_MESSAGE = gettext_noop(
    "Le service d'export est momentanément indisponible. Réessayez dans quelques minutes ; "
    "si cela se répète, contactez la BDVO."
)


@dataclass(frozen=True)
class ExportRequest:
    """An export asked for: which exporter, in which format, with which parameters."""

    exporter: Exporter
    export_format: ExportFormat
    parameters: ExportParameters


def async_threshold() -> int:
    """Above this many rows an export is written by a background job (``EXPORT_ASYNC_THRESHOLD``)."""
    return int(getattr(settings, "EXPORT_ASYNC_THRESHOLD", 2000))


def retention() -> datetime.timedelta:
    """How long a job and its file are kept (``EXPORT_RETENTION_HOURS``)."""
    return datetime.timedelta(hours=int(getattr(settings, "EXPORT_RETENTION_HOURS", 24)))


def export_stream(export: ExportRequest) -> StreamingHttpResponse:
    """The file itself, streamed: memory stays flat whatever the number of rows."""
    exporter, export_format, parameters = export.exporter, export.export_format, export.parameters
    return streamed_file(
        exporter.filename(parameters, export_format),
        export_format.content_type,
        exporter.chunks(parameters, export_format, Progress()),
    )


def export_job_create(export: ExportRequest) -> ExportJob:
    """A pending job for ``export`` (its file name is decided now, as a download's would be)."""
    parameters = export.parameters
    return ExportJob.objects.create(
        exporter=export.exporter.identifier,
        format=export.export_format.code,
        library=parameters.library,
        user=parameters.user,
        parameters=parameters.to_json(),
        filename=export.exporter.filename(parameters, export.export_format),
        expires_at=timezone.now() + retention(),
    )


def export_job_start(export: ExportRequest) -> ExportJob:
    """Create the job and queue its task; returns the job as the task left it (done in eager mode).

    Expired jobs are purged first, so files never pile up even without a scheduled purge.
    When the Celery broker cannot be reached, the job is returned failed, its error saying
    in French that the export service is temporarily unavailable.
    """
    from extranet.tasks import run_export_job  # the task module imports this one

    purge_expired_exports()
    job = export_job_create(export)
    # Views run in autocommit, so the job row is visible to the worker; the task retries
    # briefly if a caller's transaction has not committed it yet.
    try:
        run_export_job.delay(str(job.pk))
    except BrokerUnavailable as error:
        logger.warning("Celery broker unreachable (%s): export job %s (%s) not started", error, job.pk, job.exporter)
        with override(settings.LANGUAGE_CODE):
            job.status, job.error, job.finished_at = job.Status.FAILED, _(UNAVAILABLE_MESSAGE), timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return job
    job.refresh_from_db()
    return job


def export_response(
    export: ExportRequest,
    *,
    status_url: Callable[[ExportJob], str],
    download_url: Callable[[ExportJob], str],
) -> HttpResponseBase:
    """The answer to an export request (``ExportError`` when the exporter refuses it): the streamed file when it has at most
    ``EXPORT_ASYNC_THRESHOLD`` rows, else a job and a redirect to its status page (to its
    download when the job is already done, as in eager mode).

    ``status_url`` and ``download_url`` give the job's pages. Selected ids that are not all
    rows of the list (another library's, or unknown) are a 404: nothing is exported.
    """
    count = export.exporter.count(export.parameters)
    if export.parameters.ids and count != len(export.parameters.ids):
        raise Http404
    if count <= async_threshold():
        return export_stream(export)
    job = export_job_start(export)
    return redirect(download_url(job) if job.status == job.Status.DONE else status_url(job))


class JobProgress(Progress):
    """Saves the rows written and the heartbeat of a job every ``every`` rows."""

    def __init__(self, job: ExportJob, *, every: int) -> None:
        super().__init__()
        self.job = job
        self.every = max(1, every)

    def advance(self, count: int = 1) -> None:
        before = self.rows
        super().advance(count)
        if before // self.every != self.rows // self.every:
            self.save()

    def save(self) -> None:
        now = timezone.now()
        ExportJob.objects.all_libraries().filter(pk=self.job.pk).update(rows_written=self.rows, heartbeat=now)
        self.job.rows_written, self.job.heartbeat = self.rows, now


def export_job_run(*, job: ExportJob) -> ExportJob:
    """Write ``job``'s file through the default storage and mark it done, or failed.

    The job goes running (with its total and a first heartbeat), its progress and heartbeat
    are saved every ``EXPORT_PROGRESS_EVERY`` rows, and the finished file is saved with the
    job's file name. Any error marks the job failed with a French message for the user (an
    ``ExportError``'s own message, otherwise a generic one) and is logged; it is not raised,
    since the job's status is how the user learns of it.
    """
    now = timezone.now()
    job.status, job.started_at, job.heartbeat = job.Status.RUNNING, now, now
    job.save(update_fields=["status", "started_at", "heartbeat"])
    progress = JobProgress(job, every=int(getattr(settings, "EXPORT_PROGRESS_EVERY", 500)))
    try:
        exporter = registry.get(job.exporter)
        export_format = exporter.formats[job.format]
        parameters = ExportParameters.from_json(job.parameters, user=job.user, library=job.library)
        job.rows_total = exporter.count(parameters)
        job.save(update_fields=["rows_total"])
        with tempfile.TemporaryFile() as handle:
            for chunk in exporter.chunks(parameters, export_format, progress):
                handle.write(chunk)
            handle.seek(0)
            job.file.save(job.filename, File(handle, name=job.filename), save=False)
    except Exception as exc:
        logger.exception("Export job %s (%s) failed", job.pk, job.exporter)
        with override(settings.LANGUAGE_CODE):
            message = exc.message if isinstance(exc, ExportError) else _(FAILED_MESSAGE)
        job.status, job.error, job.finished_at = job.Status.FAILED, message, timezone.now()
        job.rows_written = progress.rows
        job.save(update_fields=["status", "error", "finished_at", "rows_written"])
        return job
    job.status, job.finished_at = job.Status.DONE, timezone.now()
    job.rows_written, job.heartbeat = progress.rows, job.finished_at
    job.save(update_fields=["status", "finished_at", "rows_written", "heartbeat", "file"])
    return job


def purge_expired_exports(*, now: datetime.datetime | None = None) -> int:
    """Delete expired jobs and their files; declare failed the jobs whose worker went silent
    for ``EXPORT_STALLED_AFTER_MINUTES``. Returns how many jobs were deleted."""
    now = now or timezone.now()
    jobs = ExportJob.objects.all_libraries()
    silent_since = now - datetime.timedelta(minutes=int(getattr(settings, "EXPORT_STALLED_AFTER_MINUTES", 30)))
    with override(settings.LANGUAGE_CODE):
        stalled_message = _(STALLED_MESSAGE)
    jobs.filter(status__in=[ExportJob.Status.PENDING, ExportJob.Status.RUNNING]).filter(
        Q(heartbeat__lt=silent_since) | Q(heartbeat__isnull=True, created_at__lt=silent_since)
    ).update(status=ExportJob.Status.FAILED, error=stalled_message, finished_at=now)
    deleted = 0
    for job in jobs.expired(now).only("pk", "file"):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        deleted += 1
    return deleted


__all__ = [
    "ExportRequest",
    "export_job_run",
    "export_job_start",
    "export_response",
    "export_stream",
    "purge_expired_exports",
]
