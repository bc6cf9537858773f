"""MARC imports uploaded in admin, run by a Celery worker: queued, claimed, kept alive by a
heartbeat, failed when their worker died, and queued again on demand.

Life of a ``MarcImport`` row: PENDING (queued) → RUNNING (claimed by one worker, heartbeat
after every batch) → DONE, or FAILED (unreadable file, error, or no heartbeat for
``settings.JOB_HEARTBEAT_TIMEOUT`` seconds) → PENDING again when staff re-run it. Re-running
is safe: batches committed by the failed run are updated in place, never duplicated.

A worker writes to the row only while it holds the latest attempt: a worker that comes back
after its import was marked failed (or queued again) stops at its next batch.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from catalogue.models import MarcImport
from catalogue.services.imports import DEFAULT_BATCH_SIZE, ImportFileError, marc_import_file

logger = logging.getLogger(__name__)
Status = MarcImport.Status


class ImportAbandoned(Exception):
    """The row is no longer this worker's (marked failed as stalled, or queued again)."""


def marc_import_queue(*, marc_import: MarcImport) -> None:
    """Queue the run of ``marc_import`` (PENDING) once the current transaction commits.

    When the task broker cannot be reached, the import is marked FAILED with a French
    message instead (it can be re-run later): staff never meet an error page for it."""
    from catalogue.tasks import run_marc_import

    import_id = marc_import.pk

    def send() -> None:
        try:
            run_marc_import.delay(import_id)
        except BrokerError:
            logger.exception("MARC import %s could not be queued", import_id)
            MarcImport.objects.filter(pk=import_id, status=Status.PENDING).update(
                status=Status.FAILED,
                finished_at=timezone.now(),
                error=_(
                    "Le service des tâches de fond est momentanément indisponible : l'import n'a pas pu "
                    "être lancé. Relancez-le dans quelques minutes (action « Relancer l'import »)."
                ),
            )

    transaction.on_commit(send)


def marc_import_retry(*, marc_import: MarcImport) -> bool:
    """Queue a failed import again: FAILED → PENDING, counts, report and error cleared.

    Returns False, changing nothing, when the import is not failed (pending, running or
    done imports are not re-run)."""
    with transaction.atomic():
        retried = MarcImport.objects.filter(pk=marc_import.pk, status=Status.FAILED).update(
            status=Status.PENDING,
            records_read=0,
            records_created=0,
            records_updated=0,
            records_rejected=0,
            report=[],
            error="",
            finished_at=None,
            heartbeat_at=None,
        )
        if retried:
            marc_import_queue(marc_import=marc_import)
    return bool(retried)


def marc_import_run(*, import_id: int, batch_size: int = DEFAULT_BATCH_SIZE) -> MarcImport:
    """Run the pending import ``import_id`` and store its counts and report on its row.

    The row is claimed atomically (PENDING → RUNNING, one more attempt, heartbeat now), so
    that a task delivered twice runs once; an import that is not pending is returned as it
    is. ``heartbeat_at`` and ``records_read`` are written after every batch. The row ends
    DONE, or FAILED with ``error`` (in French) when the file cannot be read or the import
    breaks (the exception is then raised again, for the worker's log). When the row stops
    being this run's (see :class:`ImportAbandoned`), the run stops after its current batch
    and leaves the row alone."""
    with transaction.atomic():
        claimed = MarcImport.objects.filter(pk=import_id, status=Status.PENDING).update(
            status=Status.RUNNING, attempts=F("attempts") + 1, heartbeat_at=timezone.now()
        )
    marc_import = MarcImport.objects.get(pk=import_id)
    if not claimed:
        return marc_import
    this_run = MarcImport.objects.filter(pk=import_id, status=Status.RUNNING, attempts=marc_import.attempts)

    def heartbeat(read: int) -> None:
        if not this_run.update(heartbeat_at=timezone.now(), records_read=read):
            raise ImportAbandoned

    try:
        report = marc_import_file(
            path=marc_import.file.path,
            flavour=marc_import.flavour or None,
            encoding=marc_import.encoding or None,
            batch_size=batch_size,
            progress=heartbeat,
            # No worker processes from a web or Celery process (forking a threaded process
            # is fragile; prefork workers may not have children anyway).
            workers=1,
        )
    except ImportAbandoned:
        logger.warning("MARC import %s was taken from this worker: stopped", import_id)
    except ImportFileError as error:
        this_run.update(status=Status.FAILED, error=str(error), finished_at=timezone.now())
    except Exception as error:
        this_run.update(
            status=Status.FAILED,
            finished_at=timezone.now(),
            error=_(
                "L'import s'est arrêté sur une erreur inattendue (%(error)s). Les lots déjà enregistrés sont "
                "conservés ; relancez l'import, et si l'erreur revient, transmettez le fichier à l'équipe technique."
            )
            % {"error": type(error).__name__},
        )
        raise
    else:
        this_run.update(
            status=Status.DONE,
            records_read=report.read,
            records_created=report.created,
            records_updated=report.updated,
            records_rejected=report.rejected,
            report=[line.as_dict() for line in report.lines],
            error="",
            finished_at=timezone.now(),
        )
    marc_import.refresh_from_db()
    return marc_import


def marc_imports_fail_stalled(*, now: datetime.datetime | None = None) -> int:
    """Mark FAILED, with a French message, every running import whose heartbeat (or, without
    one, whose creation) is older than ``settings.JOB_HEARTBEAT_TIMEOUT`` seconds: its worker
    died (stopped, killed, server restarted). Returns how many were marked."""
    now = now or timezone.now()
    timeout = settings.JOB_HEARTBEAT_TIMEOUT
    cutoff = now - datetime.timedelta(seconds=timeout)
    stalled = MarcImport.objects.filter(status=Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    return stalled.update(
        status=Status.FAILED,
        finished_at=now,
        error=_(
            "L'import s'est interrompu : son traitement ne donne plus signe de vie depuis plus de "
            "%(minutes)s minutes (processus arrêté ou serveur redémarré). Les lots déjà enregistrés sont "
            "conservés ; relancez l'import (action « Relancer l'import ») pour le terminer : les notices "
            "déjà importées seront mises à jour, sans doublon."
        )
        % {"minutes": max(1, round(timeout / 60))},
    )
