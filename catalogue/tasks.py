"""Background jobs of the catalogue."""

from __future__ import annotations

from celery import shared_task


@shared_task
def run_marc_import(import_id: int) -> str:
    """Run the MARC import uploaded by staff (``MarcImport`` row ``import_id``) if it is
    still pending; returns its status."""
    from catalogue.services.import_jobs import marc_import_run

    return marc_import_run(import_id=import_id).status


@shared_task
def fail_stalled_imports() -> int:
    """Periodic (every few minutes): mark failed the running MARC imports whose worker died
    (no heartbeat for ``settings.JOB_HEARTBEAT_TIMEOUT`` seconds); returns how many."""
    from catalogue.services.import_jobs import marc_imports_fail_stalled

    return marc_imports_fail_stalled()
