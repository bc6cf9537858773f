"""Demo data of the catalogue app (filled by its feature issue)."""

from __future__ import annotations

from typing import TextIO


def load(stdout: TextIO) -> None:
    stdout.write("  (aucune donnée de démonstration pour l'instant)")
