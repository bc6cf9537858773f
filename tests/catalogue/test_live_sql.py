"""The live SQL of the search rows (``catalogue/sql/*.sql``, loaded by migration 0009) defines
exactly what migrations 0003-0008 had left in the database, and reloading it changes nothing."""

from __future__ import annotations

import importlib
import re

import pytest
from django.db import connection

from catalogue.sql import SQL_DIR, run_sql_files, statements

pytestmark = pytest.mark.django_db

LIVE_SQL = importlib.import_module("catalogue.migrations.0009_live_sql_files").LIVE_SQL
# The migrations whose inline SQL made the search rows' functions, triggers and view, in order.
HISTORY = [
    "0003_search_index",
    "0004_record_search",
    "0005_search_available_now",
    "0006_search_available_index",
    "0007_import_search_triggers_and_indexes",
    "0008_browse_indexes",
]
_CREATE = re.compile(r"^\s*CREATE (?:OR REPLACE )?(FUNCTION|TRIGGER|VIEW) (\w+)", re.IGNORECASE)
_DROP = re.compile(r"^\s*DROP (FUNCTION|TRIGGER|VIEW) IF EXISTS (\w+)", re.IGNORECASE)


def _historical_definitions() -> dict[tuple[str, str], str]:
    """``(kind, name) → statement`` of the functions, triggers and views that the forward SQL of
    migrations 0003-0008 leaves on this database (later statements replace or drop earlier ones)."""
    attribute = "POSTGRESQL_FORWARDS" if connection.vendor == "postgresql" else "SQLITE_FORWARDS"
    definitions: dict[tuple[str, str], str] = {}
    for name in HISTORY:
        module = importlib.import_module(f"catalogue.migrations.{name}")
        for statement in getattr(module, attribute, []):
            if match := _CREATE.match(statement):
                definitions[(match[1].upper(), match[2])] = statement
            elif match := _DROP.match(statement):
                definitions.pop((match[1].upper(), match[2]), None)
    return definitions


def _normalised(sql: str) -> str:
    """``sql`` with runs of whitespace made one space and none around brackets, commas and semicolons,
    so that the same definition written with another layout compares equal."""
    return re.sub(r"\s*([(),;])\s*", r"\1", " ".join(sql.split())).rstrip(";")


def _live_definitions() -> dict[tuple[str, str], str]:
    """``(kind, name) → definition`` of the catalogue's functions, triggers and views in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT 'FUNCTION', p.proname, pg_get_functiondef(p.oid) FROM pg_proc p "
                "JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = current_schema() AND p.proname LIKE 'catalogue%' "
                "UNION ALL SELECT 'TRIGGER', t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
                "WHERE NOT t.tgisinternal AND t.tgname LIKE 'catalogue%'"
            )
        else:
            cursor.execute(
                "SELECT upper(type), name, sql FROM sqlite_master "
                "WHERE type IN ('trigger', 'view') AND name LIKE 'catalogue%'"
            )
        return {(kind, name): _normalised(sql) for kind, name, sql in cursor.fetchall()}


def _indexes() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'catalogue%'")
        else:
            cursor.execute("SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = 'index'")
        return sorted(cursor.fetchall())


class _Executor:
    """What ``run_sql_files`` needs of a schema editor (SQLite's refuses to open inside the
    test's transaction)."""

    connection = connection

    def execute(self, sql: str, params: object = None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def _reload_files() -> None:
    run_sql_files(LIVE_SQL)(None, _Executor())


def test_the_files_define_what_the_earlier_migrations_left():
    from_files = _live_definitions()  # the test database ran 0009
    historical = _historical_definitions()
    assert set(from_files) == set(historical)
    with connection.cursor() as cursor:
        for kind, name in from_files:
            if kind == "FUNCTION":
                cursor.execute(f"DROP FUNCTION {name} CASCADE")
            elif kind == "VIEW" or connection.vendor != "postgresql":
                cursor.execute(f"DROP {kind} {name}")
        for statement in historical.values():
            cursor.execute(statement)
    assert _live_definitions() == from_files
    assert len(from_files) == (15 if connection.vendor == "postgresql" else 4)


def test_reloading_the_files_changes_nothing():
    definitions, indexes = _live_definitions(), _indexes()
    _reload_files()
    _reload_files()
    assert _live_definitions() == definitions
    assert _indexes() == indexes


def test_every_file_is_loaded_by_the_migration_and_documents_it():
    files = {path.relative_to(SQL_DIR).as_posix() for path in SQL_DIR.glob("*/*.sql")}
    assert files == {name for names in LIVE_SQL.values() for name in names}
    for name in files:
        header = (SQL_DIR / name).read_text(encoding="utf-8")[:1500]
        assert "0009_live_sql_files" in header and "add a migration that reloads this file" in header


@pytest.mark.parametrize("name", ["postgresql/record_search.sql", "postgresql/record_search_availability.sql"])
def test_postgresql_files_split_into_whole_statements(name):
    found = statements(name)
    assert all(re.match(r"CREATE OR REPLACE (FUNCTION|TRIGGER) ", statement) for statement in found)
    # A function body keeps its semicolons and its own comments.
    bodies = [statement for statement in found if "FUNCTION catalogue" in statement.split("\n")[0]]
    assert bodies and all(statement.rstrip(";").endswith("END $$") for statement in bodies)


def test_sqlite_file_splits_into_whole_statements():
    found = statements("sqlite/record_search.sql")
    assert [statement.split()[0:2] for statement in found] == [["DROP", "VIEW"], ["CREATE", "VIEW"]] + [
        ["DROP", "TRIGGER"],
        ["CREATE", "TRIGGER"],
    ] * 3
    assert all(statement.rstrip(";").endswith("END") for statement in found if statement.startswith("CREATE TRIGGER"))
