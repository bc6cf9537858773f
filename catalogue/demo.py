"""Demo catalogue: a few hundred UNIMARC records written for this project (see
``catalogue/demo_data/``), built into a file and imported through the same service as
``manage.py import_marc``. Idempotent: a second run updates the records in place."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TextIO

from catalogue.demo_data.builder import build
from catalogue.models import PredefinedSearch
from catalogue.services.imports import marc_import_file

# The search bar's predefined searches (« Recherches prédéfinies »), editable in admin.
PREDEFINED_SEARCHES = [
    ("Bandes dessinées disponibles", "", {"type": ["comic"], "available": "1"}),
    ("Albums et romans jeunesse", "", {"audience": ["children"]}),
    ("Romans policiers", "policier", {}),
    ("CD audio", "", {"type": ["audio"]}),
    ("Jeux", "", {"type": ["game"]}),
]


def load(stdout: TextIO) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "catalogue-demo-bdvo.mrc"
        build(path)
        report = marc_import_file(path=path, flavour="unimarc")
    stdout.write(f"  catalogue : {report.summary()}")
    if report.rejected:
        raise RuntimeError(f"Demo catalogue: {report.rejected} rejected records: {report.rejections[:3]}")

    for position, (label, query, facets) in enumerate(PREDEFINED_SEARCHES):
        PredefinedSearch.objects.update_or_create(
            label=label,
            defaults={
                "query": query,
                "facets": facets,
                "scope": PredefinedSearch.Scope.CATALOGUE,
                "position": position,
            },
        )
    stdout.write(f"  {len(PREDEFINED_SEARCHES)} recherches prédéfinies")
