"""Delete first-time trainee requests older than the retention period (privacy notice: 12 months)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from trainings.models import TraineeRequest
from trainings.services import trainee_request_purge


class Command(BaseCommand):
    help = "Supprime les demandes de première inscription plus anciennes que --older-than-days jours (365 par défaut)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than-days", type=int, default=TraineeRequest.RETENTION_DAYS)

    def handle(self, *args: Any, older_than_days: int, **options: Any) -> None:
        if older_than_days < 1:
            self.stderr.write("--older-than-days doit être un nombre de jours positif.")
            raise SystemExit(2)
        count = trainee_request_purge(older_than_days=older_than_days)
        self.stdout.write(f"{count} demande(s) supprimée(s).")
