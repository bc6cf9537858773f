"""Delete the export jobs whose retention (EXPORT_RETENTION_HOURS) is over, with their files."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from extranet.exports.services import purge_expired_exports


class Command(BaseCommand):
    help = "Supprime les exports expirés et leurs fichiers ; déclare échoués les exports interrompus."

    def handle(self, *args: Any, **options: Any) -> None:
        count = purge_expired_exports()
        self.stdout.write(f"{count} export(s) expiré(s) supprimé(s).")
