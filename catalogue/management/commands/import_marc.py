"""``manage.py import_marc FILE [FILE…]``: import MARC files (ISO 2709 or MARCXML)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from catalogue.marc.charsets import ENCODING_CHOICES
from catalogue.marc.detection import FLAVOURS
from catalogue.services.imports import DEFAULT_BATCH_SIZE, ImportFileError, ImportReport, marc_import_file
from extranet.exports import csv_lines


class Command(BaseCommand):
    help = "Importe des fichiers MARC (ISO 2709 ou MARCXML, UNIMARC ou MARC 21) dans le catalogue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--flavour", choices=FLAVOURS, help="Force le format (sinon détecté notice par notice).")
        parser.add_argument("--encoding", choices=ENCODING_CHOICES, help="Force le jeu de caractères.")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument("--report", metavar="CSV", help="Écrit le rapport des rejets et avertissements en CSV.")
        parser.add_argument("--no-progress", action="store_true", help="Pas de barre de progression.")
        parser.add_argument(
            "--workers", type=int, default=None, help="Processus de lecture en parallèle (défaut : automatique)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reports: list[tuple[str, ImportReport]] = []
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"Fichier introuvable : {path}")
            # The bar writes to stderr and redraws only on a terminal; otherwise tqdm prints
            # a few plain lines (mininterval) that do not break logs.
            with tqdm(
                desc=path.name,
                unit=" notices",
                file=sys.stderr,
                disable=options["no_progress"],
                mininterval=0.5 if sys.stderr.isatty() else 30,
                dynamic_ncols=True,
            ) as bar:

                def progress(read: int, bar: tqdm[Any] = bar) -> None:
                    bar.update(read - bar.n)

                try:
                    report = marc_import_file(
                        path=path,
                        flavour=options["flavour"],
                        encoding=options["encoding"],
                        batch_size=options["batch_size"],
                        progress=progress,
                        workers=options["workers"],
                    )
                except ImportFileError as error:
                    raise CommandError(str(error)) from error
            reports.append((str(path), report))
            self._print_report(str(path), report, options["verbosity"])
        if options["report"]:
            self._write_csv(Path(options["report"]), reports)
            self.stdout.write(f"Rapport écrit dans {options['report']}")

    def _print_report(self, path: str, report: ImportReport, verbosity: int) -> None:
        self.stdout.write(self.style.SUCCESS(f"{path} : {report.summary()}"))
        self.stdout.write(
            f"  lues : {report.read}\n  créées : {report.created}\n"
            f"  mises à jour : {report.updated}\n  rejetées : {report.rejected}"
        )
        rejections = report.rejections
        if rejections:
            self.stdout.write(self.style.WARNING("  Notices rejetées (position, 001, raison) :"))
            for line in rejections:
                self.stdout.write(f"    n° {line.position}\t{line.control_number or '—'}\t{line.message}")
        warnings = [line for line in report.lines if line.level != "rejet"]
        if warnings and verbosity >= 2:
            self.stdout.write("  Avertissements :")
            for line in warnings:
                self.stdout.write(f"    n° {line.position}\t{line.control_number or '—'}\t{line.message}")
        elif warnings:
            self.stdout.write(f"  {len(warnings) + report.warnings_dropped} avertissement(s) (-v 2 pour les voir).")

    def _write_csv(self, target: Path, reports: list[tuple[str, ImportReport]]) -> None:
        """The report as the exports write CSV (``extranet.exports.csv_lines``): a record's 001
        or message read from the file never runs as a formula in the spreadsheet that opens it."""
        header = ["fichier", "position", "octet", "001", "niveau", "message"]
        rows = (
            [path, line.position, line.offset, line.control_number, line.level, line.message]
            for path, report in reports
            for line in report.lines
        )
        with target.open("w", newline="", encoding="utf-8") as handle:
            handle.writelines(csv_lines(header, rows))
