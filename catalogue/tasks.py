"""Background jobs of the catalogue."""

from __future__ import annotations

from celery import shared_task


@shared_task
def run_marc_import(import_id: int) -> str:
    """Run the MARC import uploaded by staff (``MarcImport`` row ``import_id``)."""
    from catalogue.models import MarcImport
    from catalogue.services.imports import marc_import_run

    marc_import = MarcImport.objects.get(pk=import_id)
    if marc_import.status != MarcImport.Status.PENDING:
        return marc_import.status
    return marc_import_run(marc_import=marc_import).status
