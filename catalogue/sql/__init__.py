"""The live SQL of the catalogue's search rows: one ``.sql`` file per concern and database.

- ``postgresql/record_search.sql``: the functions and triggers that keep
  ``catalogue_record_search`` in step with ``catalogue_record``;
- ``postgresql/record_search_availability.sql``: those that keep its ``available_now``
  in step with ``catalogue_item``;
- ``sqlite/record_search.sql``: the view ``catalogue_record_search`` and the triggers of the
  full-text table ``catalogue_record_fts``.

Each file is the current definition; migrations load it with :func:`run_sql_files` (first
``0009_live_sql_files``). Changing a file changes no database by itself: add a migration
that reloads it (copy 0009).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlparse  # Django's own dependency, which its RunSQL uses to split scripts

SQL_DIR = Path(__file__).resolve().parent


def statements(name: str) -> list[str]:
    """The statements of ``catalogue/sql/<name>``, in order, without the comments between them.

    Split as Django's ``RunSQL`` splits a script on SQLite (PostgreSQL's backend would send the
    whole script at once; one statement at a time, an error names its statement): dollar-quoted
    bodies and the ``BEGIN … END`` blocks of triggers stay whole, and comments inside a
    function body are kept, since they are part of it.
    """
    text = (SQL_DIR / name).read_text(encoding="utf-8")
    formatted = (sqlparse.format(statement, strip_comments=True).strip() for statement in sqlparse.split(text))
    return [statement for statement in formatted if statement]


def run_sql_files(files: Mapping[str, Sequence[str]]) -> Callable[[Any, Any], None]:
    """A ``RunPython`` function that runs, on each database, the files listed for its vendor
    (``{"postgresql": [...], "sqlite": [...]}``, names relative to ``catalogue/sql/``), in order.
    A vendor without files runs nothing."""

    def run(apps: Any, schema_editor: Any) -> None:
        for name in files.get(schema_editor.connection.vendor, ()):
            for statement in statements(name):
                schema_editor.execute(statement, params=None)

    return run
