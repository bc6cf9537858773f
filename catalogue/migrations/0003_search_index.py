"""Full-text index of the records (see ``catalogue/search/backends.py``; live SQL: ``catalogue/sql/``).

PostgreSQL: ``unaccent``, the ``french_unaccent`` text search configuration, a weighted
``search_vector`` column kept by a trigger, and its GIN index. SQLite: an FTS5 table kept
in sync by triggers. Each half runs only on its own database.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

POSTGRESQL_FORWARDS = [
    """
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
          ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
      END IF;
    END $$
    """,
    "ALTER TABLE catalogue_record ADD COLUMN search_vector tsvector",
    """
    CREATE FUNCTION catalogue_record_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('french_unaccent', coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector('french_unaccent', coalesce(NEW.authors_text, '')), 'B') ||
        setweight(to_tsvector('french_unaccent', coalesce(NEW.subjects_text, '')), 'C') ||
        setweight(to_tsvector('french_unaccent',
          concat_ws(' ', NEW.series, NEW.summary, NEW.publisher, NEW.isbn)), 'D');
      RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER catalogue_record_search_vector_update
      BEFORE INSERT OR UPDATE OF title, authors_text, subjects_text, series, summary, publisher, isbn
      ON catalogue_record FOR EACH ROW EXECUTE FUNCTION catalogue_record_search_vector()
    """,
    "UPDATE catalogue_record SET title = title",
    "CREATE INDEX catalogue_record_search_vector_gin ON catalogue_record USING gin (search_vector)",
]

POSTGRESQL_BACKWARDS = [
    "DROP TRIGGER IF EXISTS catalogue_record_search_vector_update ON catalogue_record",
    "DROP FUNCTION IF EXISTS catalogue_record_search_vector()",
    "ALTER TABLE catalogue_record DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent",
]

_FTS_COLUMNS = "title, authors_text, subjects_text, series, summary, publisher, isbn"
_NEW = ", ".join(f"new.{column}" for column in _FTS_COLUMNS.split(", "))
_OLD = ", ".join(f"old.{column}" for column in _FTS_COLUMNS.split(", "))

SQLITE_FORWARDS = [
    f"""
    CREATE VIRTUAL TABLE catalogue_record_fts USING fts5(
      {_FTS_COLUMNS},
      content='catalogue_record', content_rowid='id',
      tokenize='unicode61 remove_diacritics 2', prefix='2 3'
    )
    """,
    f"""
    CREATE TRIGGER catalogue_record_fts_insert AFTER INSERT ON catalogue_record BEGIN
      INSERT INTO catalogue_record_fts(rowid, {_FTS_COLUMNS}) VALUES (new.id, {_NEW});
    END
    """,
    f"""
    CREATE TRIGGER catalogue_record_fts_delete AFTER DELETE ON catalogue_record BEGIN
      INSERT INTO catalogue_record_fts(catalogue_record_fts, rowid, {_FTS_COLUMNS})
        VALUES ('delete', old.id, {_OLD});
    END
    """,
    f"""
    CREATE TRIGGER catalogue_record_fts_update AFTER UPDATE ON catalogue_record BEGIN
      INSERT INTO catalogue_record_fts(catalogue_record_fts, rowid, {_FTS_COLUMNS})
        VALUES ('delete', old.id, {_OLD});
      INSERT INTO catalogue_record_fts(rowid, {_FTS_COLUMNS}) VALUES (new.id, {_NEW});
    END
    """,
    "INSERT INTO catalogue_record_fts(catalogue_record_fts) VALUES ('rebuild')",
]

SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS catalogue_record_fts_insert",
    "DROP TRIGGER IF EXISTS catalogue_record_fts_delete",
    "DROP TRIGGER IF EXISTS catalogue_record_fts_update",
    "DROP TABLE IF EXISTS catalogue_record_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_predefined_search")]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARDS, "sqlite": SQLITE_FORWARDS}),
            _run({"postgresql": POSTGRESQL_BACKWARDS, "sqlite": SQLITE_BACKWARDS}),
        ),
    ]
