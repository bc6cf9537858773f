"""``manage.py import_marc FILE [FILE…]``: import MARC files (ISO 2709 or MARCXML).

Ctrl-C stops it cleanly once the batch being written is committed: a summary in French says
what was committed and how to go on (``--resume-after``), and the exit status is 130.
"""

from __future__ import annotations

import csv
import shlex
import signal
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from catalogue.marc.charsets import ENCODING_CHOICES
from catalogue.marc.detection import FLAVOURS
from catalogue.services.imports import (
    DEFAULT_BATCH_SIZE,
    ImportFileError,
    ImportInterrupted,
    ImportReport,
    marc_import_file,
)

# Exit status of a command stopped by SIGINT (128 + 2), as shells report it.
INTERRUPTED_EXIT_STATUS = 130


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
        parser.add_argument(
            "--resume-after",
            type=int,
            default=0,
            metavar="POSITION",
            help="Ne lit le premier fichier qu'à partir de la notice suivant la n° POSITION "
            "(pour reprendre un import interrompu : son résumé donne la commande).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reports: list[tuple[str, ImportReport]] = []
        files = options["files"]
        for index, name in enumerate(files):
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"Fichier introuvable : {path}")
            resume_after = options["resume_after"] if index == 0 else 0
            try:
                report = self._import(path, options, resume_after)
            except ImportFileError as error:
                raise CommandError(str(error)) from error
            except KeyboardInterrupt as interrupt:
                partial = interrupt.report if isinstance(interrupt, ImportInterrupted) else None
                self._stop(files[index:], partial, resume_after, reports, options)
            reports.append((str(path), report))
            self._print_report(str(path), report, options["verbosity"])
        if options["report"]:
            self._write_csv(Path(options["report"]), reports)
            self.stdout.write(f"Rapport écrit dans {options['report']}")

    def _import(self, path: Path, options: dict[str, Any], resume_after: int) -> ImportReport:
        """Import one file with a progress bar."""
        # The bar writes to stderr and redraws only on a terminal; otherwise tqdm prints a
        # few plain lines (mininterval) that do not break logs.
        with tqdm(
            desc=path.name,
            unit=" notices",
            file=sys.stderr,
            disable=options["no_progress"],
            mininterval=0.5 if sys.stderr.isatty() else 30,
            dynamic_ncols=True,
        ) as bar:

            def progress(read: int) -> None:
                bar.update(read - bar.n)

            return marc_import_file(
                path=path,
                flavour=options["flavour"],
                encoding=options["encoding"],
                batch_size=options["batch_size"],
                progress=progress,
                workers=options["workers"],
                resume_after=resume_after,
            )

    def _stop(
        self,
        remaining: list[str],
        partial: ImportReport | None,
        resume_after: int,
        reports: list[tuple[str, ImportReport]],
        options: dict,
    ) -> None:
        """After Ctrl-C during the import of ``remaining[0]``: say what was committed and how
        to go on, write the CSV report of what was done, exit with status 130."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the summary short
        current = remaining[0]
        self.stderr.write("")  # after the progress bar
        self.stdout.write(self.style.WARNING(f"Import interrompu (Ctrl-C) pendant {current}."))
        for path, report in reports:
            self.stdout.write(f"  {path} : terminé avant l'interruption ({report.summary()}).")
        if partial is not None and partial.batches:
            resume_after = partial.last_position
            self.stdout.write(
                f"  {current} : {partial.batches} lot(s) enregistré(s), jusqu'à la notice n° {resume_after} "
                f"du fichier : {partial.created} créée(s), {partial.updated} mise(s) à jour, "
                f"{partial.rejected} rejetée(s) ({partial.read} lues).\n"
                f"  Rien de ce qui suit la notice n° {resume_after} n'est enregistré."
            )
            reports.append((current, partial))
        else:
            self.stdout.write(f"  {current} : rien n'a été enregistré (aucun lot terminé).")
        command = ["python", "manage.py", "import_marc", *remaining]
        for option in ("flavour", "encoding"):
            if options[option]:
                command += [f"--{option}", options[option]]
        if options["batch_size"] != DEFAULT_BATCH_SIZE:
            command += ["--batch-size", str(options["batch_size"])]
        if resume_after:
            command += ["--resume-after", str(resume_after)]
        self.stdout.write(f"  Pour reprendre : {shlex.join(command)}")
        if resume_after:
            self.stdout.write(
                "  (Sans --resume-after, tout le fichier est relu : les notices déjà enregistrées "
                "sont mises à jour, sans doublon.)"
            )
        if options["report"] and reports:
            self._write_csv(Path(options["report"]), reports)
            self.stdout.write(f"Rapport de ce qui a été fait écrit dans {options['report']}")
        raise SystemExit(INTERRUPTED_EXIT_STATUS)

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
        with target.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(["fichier", "position", "octet", "001", "niveau", "message"])
            for path, report in reports:
                for line in report.lines:
                    writer.writerow(
                        [
                            path,
                            line.position,
                            line.offset if line.offset is not None else "",
                            line.control_number,
                            line.level,
                            line.message,
                        ]
                    )
