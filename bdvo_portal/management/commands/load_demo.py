"""Load the demo data of every app (idempotent). Refused when DEBUG is off."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Charge les données de démonstration (territoires, bibliothèques, comptes, catalogue…)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Les données de démonstration sont refusées quand DEBUG est désactivé.")
        for dotted in settings.DEMO_LOADERS:
            self.stdout.write(f"→ {dotted}")
            import_string(dotted)(self.stdout)
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(
            f"Comptes de démonstration (mot de passe : {settings.DEMO_PASSWORD}) : admin, referent, "
            "gestionnaire, consultant (bibliothèque du Vexin), gestionnaire2, consultant2 (Plaine de France)."
        )
